using System.Text.Json.Nodes;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Tools;

/// <summary>The erase task as its description shapes it (runware.ai/docs/models/bfl-flux-erase; the inputs keys assumed).</summary>
public sealed class EraseTaskTests
{
    private static readonly Guid TaskId = Guid.Parse("5a0e3b9e-8a43-4d6e-9b1e-2f1e0c1d2a3b");

    [Fact]
    public void BuildInference_Erase_PutsImageAndMaskInInputsAndSendsNothingTheModelRefuses()
    {
        var task = RunwareTaskBuilder.BuildInference(new EditSpec { Tool = FluxTool.Erase, NumberResults = 2 }, new InferenceImages("img-1", "mask-1"), TaskId, 1024, 768);

        Assert.Equal("bfl:flux@erase", (string?)task["model"]);
        var inputs = Assert.IsType<JsonObject>(task["inputs"]);
        Assert.Equal("img-1", (string?)inputs["seedImage"]);
        Assert.Equal("mask-1", (string?)inputs["maskImage"]);
        Assert.Equal(2, (int?)task["numberResults"]);
        Assert.Equal("async", (string?)task["deliveryMethod"]);
        foreach (var refused in new[] { "positivePrompt", "width", "height", "steps", "CFGScale", "seed", "seedImage", "maskImage", "strength", "maskMargin" })
        {
            Assert.False(task.ContainsKey(refused), $"the erase task carries '{refused}'");
        }
    }

    [Fact]
    public void BuildInference_EraseWithoutMask_Throws()
    {
        Assert.Throws<ArgumentException>(() => RunwareTaskBuilder.BuildInference(new EditSpec { Tool = FluxTool.Erase }, new InferenceImages("img-1"), TaskId, 1024, 768));
    }

    [Fact]
    public void Erase_IsOneDescription_MaskRequiredNoPromptNoCropToContext()
    {
        var erase = ToolCatalog.Get(FluxTool.Erase);

        Assert.Equal("erase", erase.Name);
        Assert.Equal(MaskUse.Required, erase.Mask);
        Assert.Equal(PromptUse.Forbidden, erase.Prompt);
        Assert.False(erase.CropToContext);
        Assert.False(erase.SendsSize);
        Assert.True(erase.OptionsOptional);
    }
}
