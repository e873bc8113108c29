using FluxFunctions.Core.Pipeline;
using FluxFunctions.ImageRules;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>The translation of a validated edit and its tool into the imaging parameters (<see cref="ImageEdits.From"/>).</summary>
public sealed class ImageEditsTests
{
    [Theory]
    [InlineData(FluxTool.Canny, PreprocessMode.Local, GuideSource.LocalCanny)]
    [InlineData(FluxTool.Canny, PreprocessMode.Runware, GuideSource.Runware)]
    [InlineData(FluxTool.Canny, PreprocessMode.None, GuideSource.Input)]
    [InlineData(FluxTool.Depth, PreprocessMode.Local, GuideSource.Runware)]
    [InlineData(FluxTool.Depth, PreprocessMode.None, GuideSource.Input)]
    public void From_Guide_LocalCannyOnlyWhereTheToolCanMakeIt(FluxTool tool, PreprocessMode mode, GuideSource expected)
    {
        var edit = ImageEdits.From(new EditSpec { Tool = tool, Prompt = "a house", Preprocess = PreprocessSpec.Default with { Mode = mode, LowThreshold = 50, HighThreshold = 150 } });

        Assert.Equal(ImagePreparation.Guide, edit.Preparation);
        Assert.Equal(expected, edit.Guide);
        Assert.Equal(new CannyOptions(50, 150, Blur: true), edit.Canny);
    }

    [Fact]
    public void From_Fill_CarriesTheMaskShapeContextAndFormat()
    {
        var spec = new EditSpec
        {
            Tool = FluxTool.Fill,
            Prompt = "a red bicycle",
            MaskGrow = 3,
            MaskFeather = 5,
            Outpaint = new OutpaintSpec(1, 2, 3, 4, 8),
            Context = new ContextSpec(ContextMode.Always, 0.25),
            ColorMatch = false,
            OutputFormat = OutputFormat.WEBP,
            Regions = [new RegionSpec("#ff0000", "a cat")],
        };

        var edit = ImageEdits.From(spec);

        Assert.Equal("fill", edit.Tool);
        Assert.Equal(ImagePreparation.Masked, edit.Preparation);
        Assert.Null(edit.MaskIgnoredWarning);
        Assert.Null(edit.MaskRequired); // outpainting: fill needs no mask
        Assert.Equal((3, 5), (edit.MaskGrow, edit.MaskFeather));
        Assert.Equal(new OutpaintPadding(1, 2, 3, 4, 8), edit.Outpaint);
        Assert.Equal(new ContextCrop(ContextMode.Always, 0.25), edit.Context);
        Assert.True(edit.CropToContext);
        Assert.True(edit.Stitch);
        Assert.False(edit.ColorMatch);
        Assert.Equal(ImageFileFormat.Webp, edit.OutputFormat);
        Assert.Equal(new MaskRegion("#ff0000", (255, 0, 0)), Assert.Single(edit.Regions));
        Assert.Equal(EditDefaults.MinRegionColorDistance, edit.RegionColorDistance);
        Assert.Contains("'mask' is required for fill", ImageEdits.From(spec with { Outpaint = null }).MaskRequired, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ToolsThatDoNotStitch_NeverStitchWhateverTheRequestSays()
    {
        var edit = ImageEdits.From(new EditSpec { Tool = FluxTool.Redux, Stitch = true });

        Assert.False(edit.Stitch);
        Assert.Equal(ImagePreparation.Reference, edit.Preparation);
        Assert.Contains("it was ignored for redux", edit.MaskIgnoredWarning, StringComparison.Ordinal);
    }

    [Fact]
    public void From_KontextPro_TheModelsFixedSizesInOrder()
    {
        var edit = ImageEdits.From(new EditSpec { Tool = FluxTool.Kontext, Prompt = "make it night", Model = "pro" });

        Assert.NotNull(edit.SizePairs);
        Assert.Contains(new PixelSize(1024, 1024), edit.SizePairs);
        Assert.Null(ImageEdits.From(new EditSpec { Tool = FluxTool.Fill, Prompt = "a red bicycle" }).SizePairs);
    }
}
