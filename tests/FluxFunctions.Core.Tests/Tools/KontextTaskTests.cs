using System.Text.Json.Nodes;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Tools;

/// <summary>The kontext task as its description shapes it: the image as the reference in inputs.referenceImages (assumed placement).</summary>
public sealed class KontextTaskTests
{
    private static readonly Guid TaskId = Guid.Parse("5a0e3b9e-8a43-4d6e-9b1e-2f1e0c1d2a3b");

    [Fact]
    public void BuildInference_KontextPro_SendsTheReferenceThePairAndNoSteps()
    {
        var spec = new EditSpec { Tool = FluxTool.Kontext, Prompt = "make the sky stormy", Model = FluxModels.KontextPro };

        var task = RunwareTaskBuilder.BuildInference(spec, new InferenceImages("img-1"), TaskId, 1184, 880);

        Assert.Equal("bfl:3@1", (string?)task["model"]);
        Assert.Equal("make the sky stormy", (string?)task["positivePrompt"]);
        var references = Assert.IsType<JsonArray>(Assert.IsType<JsonObject>(task["inputs"])["referenceImages"]);
        Assert.Equal("img-1", (string?)Assert.Single(references));
        Assert.Equal((1184, 880), ((int)task["width"]!, (int)task["height"]!));
        foreach (var absent in new[] { "seedImage", "maskImage", "steps", "CFGScale", "negativePrompt", "ipAdapters" })
        {
            Assert.False(task.ContainsKey(absent), $"the kontext task carries '{absent}'");
        }
    }

    [Fact]
    public void BuildInference_KontextWithoutModel_UsesDev()
    {
        var task = RunwareTaskBuilder.BuildInference(new EditSpec { Tool = FluxTool.Kontext, Prompt = "a b c" }, new InferenceImages("img-1"), TaskId, 1024, 1024);

        Assert.Equal("runware:106@1", (string?)task["model"]);
    }
}
