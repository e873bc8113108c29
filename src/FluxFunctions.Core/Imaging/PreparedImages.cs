using System.Text.Json.Serialization;

namespace FluxFunctions.Core.Imaging;

/// <summary>One image to send to Runware.</summary>
/// <param name="Bytes">The encoded file. When <paramref name="Passthrough"/> is true these are the caller's input bytes, untouched.</param>
/// <param name="Format">PNG, JPEG or WebP.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Passthrough">The input already was what Runware needs (right size, upright, opaque) and is sent as it came.</param>
public sealed record PreparedImage(ReadOnlyMemory<byte> Bytes, ImageFileFormat Format, int Width, int Height, bool Passthrough)
{
    public string ContentType => Format.ContentType();

    [JsonIgnore]
    public PixelSize Size => new(Width, Height);
}

/// <summary>What preparation did, for the job's manifest.</summary>
/// <param name="Tool">fill, canny, depth or redux.</param>
/// <param name="Input">The input as read: format, stored size, EXIF orientation.</param>
/// <param name="Original">The upright input size.</param>
/// <param name="Sent">The size of the image sent (the seed or guide).</param>
/// <param name="Passthrough">The input bytes were sent untouched.</param>
/// <param name="MaskCoverage">Fill: share of the image the user's mask marks (before grow and feather).</param>
/// <param name="Steps">Each step, in words.</param>
public sealed record PreparationReport(
    string Tool,
    string Input,
    PixelSize Original,
    PixelSize Sent,
    bool Passthrough,
    double? MaskCoverage,
    IReadOnlyList<string> Steps);

/// <summary>The images to send to Runware for one job, and what is needed to finish it.</summary>
public sealed record PreparedImages
{
    /// <summary>
    /// The seed image (Fill: the photo or outpaint canvas; Canny: the edge map, or the image for Runware's preprocessor;
    /// Depth: the depth map or the image for Runware's preprocessor) or, for Redux, the guide image.
    /// </summary>
    public required PreparedImage Image { get; init; }

    /// <summary>Fill: the mask at the sent size, 8-bit grayscale PNG, white = regenerate, feathered.</summary>
    public PreparedImage? Mask { get; init; }

    /// <summary>What the input file's header said.</summary>
    public required ImageInfo Source { get; init; }

    /// <summary>The input's upright size.</summary>
    public required PixelSize OriginalSize { get; init; }

    /// <summary>The width and height to request from Runware (multiples of 64 within the allowed range).</summary>
    public required PixelSize TargetSize { get; init; }

    /// <summary>Fill: where the original and the sent region sit on the result canvas, for <see cref="ResultFinisher"/>.</summary>
    public FillPlacement? Placement { get; init; }

    /// <summary>Things the user should know (an all-white mask, a stretched aspect ratio…); they belong in the manifest.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public required PreparationReport Report { get; init; }
}
