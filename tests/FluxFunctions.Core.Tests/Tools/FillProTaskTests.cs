using System.Text.Json.Nodes;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Tools;

/// <summary>The fill-pro task as its description shapes it (task_map.py BflFlux1FillProParams: inputs and a prompt, no size).</summary>
public sealed class FillProTaskTests
{
    private static readonly Guid TaskId = Guid.Parse("6b1e3b9e-8a43-4d6e-9b1e-2f1e0c1d2a3b");

    [Fact]
    public void BuildInference_FillPro_PutsImageAndMaskInInputsSendsThePromptAndNoSize()
    {
        var spec = new EditSpec { Tool = FluxTool.FillPro, Prompt = "a red door", Steps = 40, CfgScale = 60, Seed = 9 };

        var task = RunwareTaskBuilder.BuildInference(spec, new InferenceImages("img-1", "mask-1"), TaskId, 1024, 768);

        Assert.Equal("bfl:1@2", (string?)task["model"]);
        Assert.Equal("a red door", (string?)task["positivePrompt"]);
        var inputs = Assert.IsType<JsonObject>(task["inputs"]);
        Assert.Equal(("img-1", "mask-1"), ((string?)inputs["seedImage"], (string?)inputs["maskImage"]));
        Assert.Equal((40, 60.0, 9L), ((int)task["steps"]!, (double)task["CFGScale"]!, (long)task["seed"]!));
        foreach (var refused in new[] { "width", "height", "negativePrompt", "scheduler", "strength", "maskMargin", "lora", "seedImage", "maskImage", "outpaint", "referenceImages", "acePlusPlus" })
        {
            Assert.False(task.ContainsKey(refused), $"the fill-pro task carries '{refused}'");
        }
    }

    [Fact]
    public void FillPro_IsOneDescription_CropsAndStitchesLikeFillWithoutSendingTheSize()
    {
        var pro = ToolCatalog.Get(FluxTool.FillPro);

        Assert.Equal(("fill-pro", "bfl:1@2"), (pro.Name, pro.DefaultModel));
        Assert.Equal(MaskUse.RequiredUnlessOutpaint, pro.Mask);
        Assert.True(pro.CropToContext);
        Assert.True(pro.Stitches);
        Assert.False(pro.SendsSize);
        Assert.Equal(new ToolLimits(15, 50, 1.5, 100), pro.Limits);
        Assert.True(FluxTools.TryParse("fill-pro", out var key));
        Assert.Equal(FluxTool.FillPro, key);
        Assert.True(ToolCatalog.IsToolModel(FluxModels.FillPro));
    }
}
