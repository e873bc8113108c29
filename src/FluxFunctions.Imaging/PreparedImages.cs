using System.Text.Json.Serialization;

namespace FluxFunctions.Imaging;

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

    /// <summary>
    /// Fill: where the original and the sent region sit on the result canvas, for <see cref="ResultFinisher"/>. With
    /// crop-to-context, the first crop's (see <see cref="Crops"/>).
    /// </summary>
    public FillPlacement? Placement { get; init; }

    /// <summary>
    /// Fill: one entry per Runware task — each crop around the mask with its own seed, mask, size and placement, or one
    /// entry for the whole image (then <see cref="Image"/>, <see cref="Mask"/> and <see cref="Placement"/>). Empty for the
    /// other tools. <see cref="Image"/>, <see cref="Mask"/>, <see cref="TargetSize"/> and <see cref="Placement"/> are the
    /// first entry's.
    /// </summary>
    public IReadOnlyList<PreparedCrop> Crops { get; init; } = [];

    /// <summary>Fill: what crop-to-context decided and why.</summary>
    public ContextDecision? Context { get; init; }

    /// <summary>Things the user should know (an all-white mask, a stretched aspect ratio…); they belong in the manifest.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public required PreparationReport Report { get; init; }
}

/// <summary>One Fill image to send to Runware: the whole image, or a crop around part of the mask.</summary>
/// <param name="Index">0, 1, … in the order of <see cref="PreparedImages.Crops"/>.</param>
/// <param name="Seed">The seed image at the sent size.</param>
/// <param name="Mask">The mask at the sent size (white = regenerate; a crop's mask holds only its own masked area).</param>
/// <param name="Placement">Where it goes back (<see cref="FillPlacement.Region"/> = the crop box, <see cref="FillPlacement.Owned"/> = its masked area).</param>
/// <param name="Margin">Context margin around the masked area in original pixels (0 for the whole image).</param>
public sealed record PreparedCrop(int Index, PreparedImage Seed, PreparedImage Mask, FillPlacement Placement, int Margin);
