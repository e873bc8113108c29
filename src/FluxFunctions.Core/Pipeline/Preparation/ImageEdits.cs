using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The translation from a validated edit and its tool's description to what the image work takes
/// (<see cref="ImageEdit"/>): the one place where the request model meets the imaging parameters.
/// </summary>
public static class ImageEdits
{
    /// <summary>The imaging parameters of <paramref name="spec"/>.</summary>
    public static ImageEdit From(EditSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var tool = spec.Tool.Describe();
        return new ImageEdit
        {
            Tool = tool.Name,
            Preparation = tool.Preparation,
            Width = spec.Width,
            Height = spec.Height,
            SizePairs = tool.ChoiceFor(spec.Model)?.SizePairs?.Select(p => new PixelSize(p.Width, p.Height)).ToArray(),
            MaskIgnoredWarning = tool.TakesMask ? null : $"A mask applies to {ToolCatalog.Taking(ToolFields.Mask)} only; it was ignored for {tool.Name}.",
            MaskRequired = tool.NeedsMask(outpaints: spec.Outpaint is not null) ? tool.MaskRequiredMessage : null,
            MaskGrow = spec.MaskGrow,
            MaskFeather = spec.MaskFeather,
            Outpaint = spec.Outpaint is { } o ? new OutpaintPadding(o.Top, o.Right, o.Bottom, o.Left, o.Blur) : null,
            Regions = spec.Regions.Select(r => new MaskRegion(r.Color, r.Rgb)).ToArray(),
            RegionColorDistance = EditDefaults.MinRegionColorDistance,
            CropToContext = tool.CropToContext,
            Context = new ContextCrop(spec.Context.Mode, spec.Context.Margin),
            Stitch = tool.Stitches && spec.Stitch,
            ColorMatch = spec.ColorMatch,
            Guide = GuideOf(tool, spec.Preprocess.Mode),
            Canny = new CannyOptions(spec.Preprocess.LowThreshold, spec.Preprocess.HighThreshold, Blur: true),
            OutputFormat = FileFormatOf(spec.OutputFormat),
        };
    }

    /// <summary>The file format of an output format.</summary>
    public static ImageFileFormat FileFormatOf(OutputFormat format) => format switch
    {
        OutputFormat.PNG => ImageFileFormat.Png,
        OutputFormat.JPG => ImageFileFormat.Jpeg,
        OutputFormat.WEBP => ImageFileFormat.Webp,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>A local Canny map only where the tool can make one and the edit asks for it; otherwise the input is the guide (preprocess none) or Runware makes it.</summary>
    private static GuideSource GuideOf(ToolDescription tool, PreprocessMode mode) =>
        tool.LocalGuide && mode == PreprocessMode.Local ? GuideSource.LocalCanny
            : mode == PreprocessMode.None ? GuideSource.Input
            : GuideSource.Runware;
}
