using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Tools;

/// <summary>Where reference images go in each tool's task, the blob companion that carries them, and their checks.</summary>
public sealed class ReferenceTaskTests
{
    private static readonly Guid TaskId = Guid.Parse("7c1e3b9e-8a43-4d6e-9b1e-2f1e0c1d2a3b");

    [Fact]
    public void BuildInference_KontextWithAReference_SendsTheImageFirstThenTheReference()
    {
        var spec = new EditSpec { Tool = FluxTool.Kontext, Prompt = "put the logo on the mug" };

        var task = RunwareTaskBuilder.BuildInference(spec, new InferenceImages("img-1") { References = ["ref-1"] }, TaskId, 1024, 1024);

        var references = Assert.IsType<JsonArray>(task["inputs"]!["referenceImages"]);
        Assert.Equal(["img-1", "ref-1"], references.Select(r => (string?)r));
        Assert.False(task.ContainsKey("referenceImages"));
        Assert.False(task.ContainsKey("acePlusPlus"));
    }

    [Fact]
    public void BuildInference_FillWithAReference_IsAcePlusPlusWithTheReferenceAtTheRoot()
    {
        var spec = new EditSpec { Tool = FluxTool.Fill, Prompt = "the logo on the mug" };

        var task = RunwareTaskBuilder.BuildInference(spec, new InferenceImages("img-1", "mask-1") { References = ["ref-1"] }, TaskId, 1024, 768);

        Assert.Equal("runware:102@1", (string?)task["model"]);
        Assert.Equal(["ref-1"], Assert.IsType<JsonArray>(task["referenceImages"]).Select(r => (string?)r));
        var ace = Assert.IsType<JsonObject>(task["acePlusPlus"]);
        Assert.Equal("local_editing", (string?)ace["type"]);
        Assert.Equal(["img-1"], Assert.IsType<JsonArray>(ace["inputImages"]).Select(r => (string?)r));
        Assert.Equal(["mask-1"], Assert.IsType<JsonArray>(ace["inputMasks"]).Select(r => (string?)r));
        Assert.Equal(0.7, (double)ace["repaintingScale"]!);
        Assert.Equal((1024, 768), ((int)task["width"]!, (int)task["height"]!));
        Assert.False(task.ContainsKey("seedImage"));
        Assert.False(task.ContainsKey("maskImage"));
        Assert.False(task.ContainsKey("inputs"));
    }

    [Fact]
    public void BuildInference_FillWithoutAReference_StaysPlainFill()
    {
        var task = RunwareTaskBuilder.BuildInference(new EditSpec { Tool = FluxTool.Fill, Prompt = "a red door" }, new InferenceImages("img-1", "mask-1"), TaskId, 1024, 768);

        Assert.Equal(("img-1", "mask-1"), ((string?)task["seedImage"], (string?)task["maskImage"]));
        Assert.False(task.ContainsKey("acePlusPlus"));
        Assert.False(task.ContainsKey("referenceImages"));
    }

    [Fact]
    public void BuildInference_FillWithTwoReferences_Throws()
    {
        var spec = new EditSpec { Tool = FluxTool.Fill, Prompt = "a red door" };

        Assert.Throws<ArgumentException>(() => RunwareTaskBuilder.BuildInference(spec, new InferenceImages("img-1", "mask-1") { References = ["a", "b"] }, TaskId, 1024, 768));
    }

    [Theory]
    [InlineData("fill/shop/mug.ref.png", "fill/shop/mug")]
    [InlineData("kontext/mug.REF.png", "kontext/mug")]
    public void DropName_RefPng_IsTheReferenceCompanionNotAJob(string blob, string baseName)
    {
        var drop = DropName.Parse(blob);

        Assert.Equal(DropKind.Reference, drop.Kind);
        Assert.Equal(baseName, drop.BaseName);
        Assert.Equal(baseName + ".ref.png", DropName.Parse(baseName + ".png").ReferenceName);
    }

    [Fact]
    public void PrepareReference_NotAnImage_IsABadInputNamingTheField()
    {
        var spec = new EditSpec { Tool = FluxTool.Kontext, Prompt = "x y" };

        var ex = Assert.Throws<PermanentFluxException>(() => ImagePreparer.PrepareReference(new PrepareRequest(ImageEdits.From(spec), "not an image"u8.ToArray()), "references[0]"));

        Assert.Equal("references[0]", ex.First.Parameter);
    }

    [Fact]
    public void PrepareReference_TooLargeForRunware_IsResizedToAboutAMegapixel()
    {
        using var big = FluxFunctions.Testing.TestImages.PhotoLike(3000, 1500, 3);
        var spec = new EditSpec { Tool = FluxTool.Fill, Prompt = "x y" };

        var image = ImagePreparer.PrepareReference(new PrepareRequest(ImageEdits.From(spec), FluxFunctions.Testing.TestFiles.Png(big)), "reference");

        Assert.False(image.Passthrough);
        Assert.InRange(image.Width * image.Height, 800_000, 1_300_000);
        Assert.InRange(image.Width / (double)image.Height, 1.9, 2.1);
    }
}
