using FluxFunctions.ImageRules;

namespace FluxFunctions.Imaging;

/// <summary>
/// What the image work needs to know about one edit, in imaging terms: how to prepare, which sizes, how to shape the
/// mask, whether to crop to context, stitch and colour match, and the output format. The pipeline fills it from the
/// validated request and its tool; nothing here knows about requests or tools.
/// </summary>
public sealed record ImageEdit
{
    /// <summary>The tool's name, for the preparation report and its steps (<c>fill</c>, <c>canny</c>…).</summary>
    public required string Tool { get; init; }

    /// <summary>How the images are prepared.</summary>
    public required ImagePreparation Preparation { get; init; }

    /// <summary>Requested output width; null derives it from the input's aspect ratio at about 1 MP.</summary>
    public int? Width { get; init; }

    /// <summary>Requested output height; null derives it like <see cref="Width"/>.</summary>
    public int? Height { get; init; }

    /// <summary>
    /// The only sizes the model accepts (width and height together), or null for any size within the
    /// <see cref="SizeRules"/>. With them, the requested size is sent as it is, or else the one nearest the input's aspect ratio.
    /// </summary>
    public IReadOnlyList<PixelSize>? SizePairs { get; init; }

    /// <summary>When set, the edit takes no mask: a mask given is not used and this warning is reported.</summary>
    public string? MaskIgnoredWarning { get; init; }

    /// <summary>When set, a masked job without a mask fails (<c>missingField</c>, parameter <c>mask</c>) with this message.</summary>
    public string? MaskRequired { get; init; }

    /// <summary>Masked jobs: pixels to dilate the mask by.</summary>
    public int MaskGrow { get; init; }

    /// <summary>Masked jobs: pixels of soft edge on the mask, outward.</summary>
    public int MaskFeather { get; init; }

    /// <summary>Masked jobs: extend the canvas.</summary>
    public OutpaintPadding? Outpaint { get; init; }

    /// <summary>
    /// Masked jobs: the regions of a colour-coded mask, each its own crop; empty for one (white) mask. Crop <c>i</c> is
    /// region <c>i</c>.
    /// </summary>
    public IReadOnlyList<MaskRegion> Regions { get; init; } = [];

    /// <summary>With <see cref="Regions"/>: a mask pixel farther than this (Euclidean RGB distance) from black and every region colour is kept, with a warning.</summary>
    public int RegionColorDistance { get; init; }

    /// <summary>Masked jobs: whether the job may be split into crops around the mask (otherwise <see cref="Context"/> counts as off).</summary>
    public bool CropToContext { get; init; }

    /// <summary>Masked jobs: crop-to-context as requested.</summary>
    public ContextCrop Context { get; init; } = ContextCrop.Default;

    /// <summary>The result is composited back over the original (pixels outside the mask kept) instead of returned as generated.</summary>
    public bool Stitch { get; init; }

    /// <summary>Stitched results: match the regenerated region's colour to its surroundings.</summary>
    public bool ColorMatch { get; init; }

    /// <summary>Guide jobs: where the guide comes from.</summary>
    public GuideSource Guide { get; init; }

    /// <summary>Guide jobs with <see cref="GuideSource.LocalCanny"/>: the thresholds.</summary>
    public CannyOptions Canny { get; init; } = CannyOptions.Default;

    /// <summary>The format of the finished image.</summary>
    public ImageFileFormat OutputFormat { get; init; } = ImageFileFormat.Png;
}

/// <summary>How far the canvas is extended on each side, and how deep the mask fades into the original.</summary>
public sealed record OutpaintPadding(int Top, int Right, int Bottom, int Left, int Blur);

/// <summary>One region of a colour-coded mask.</summary>
/// <param name="Color">Its colour as written (<c>#rrggbb</c>), for reports.</param>
/// <param name="Rgb">Its colour's channels.</param>
public sealed record MaskRegion(string Color, (byte R, byte G, byte B) Rgb);
