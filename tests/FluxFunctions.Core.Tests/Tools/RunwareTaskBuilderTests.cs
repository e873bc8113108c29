using System.Text.Json.Nodes;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Tools;

public sealed class RunwareTaskBuilderTests
{
    private static readonly Guid TaskId = Guid.Parse("5a0e3b9e-8a43-4d6e-9b1e-2f1e0c1d2a3b");

    [Fact]
    public void BuildInference_Fill_UsesFillModelWithSeedAndMask()
    {
        var task = RunwareTaskBuilder.BuildInference(new EditSpec { Tool = FluxTool.Fill, Prompt = "a red door" }, new InferenceImages("img-1", "mask-1"), TaskId, 1024, 768);

        Assert.Equal("imageInference", (string?)task["taskType"]);
        Assert.Equal("runware:102@1", (string?)task["model"]);
        Assert.Equal("img-1", (string?)task["seedImage"]);
        Assert.Equal("mask-1", (string?)task["maskImage"]);
        Assert.Equal("async", (string?)task["deliveryMethod"]);
        Assert.Equal(TaskId.ToString(), (string?)task["taskUUID"]);
        Assert.False(task.ContainsKey("maskMargin"));
        Assert.False(task.ContainsKey("strength"));
    }

    [Theory]
    [InlineData(FluxTool.Canny, "runware:104@1")]
    [InlineData(FluxTool.Depth, "runware:103@1")]
    public void BuildInference_CannyAndDepth_PutTheGuideInSeedImageWithoutControlNet(FluxTool tool, string model)
    {
        var task = RunwareTaskBuilder.BuildInference(new EditSpec { Tool = tool, Prompt = "a house" }, new InferenceImages("guide-1"), TaskId, 1024, 1024);

        Assert.Equal(model, (string?)task["model"]);
        Assert.Equal("guide-1", (string?)task["seedImage"]);
        Assert.False(task.ContainsKey("controlNet"));
        Assert.False(task.ContainsKey("weight"));
        Assert.False(task.ContainsKey("maskImage"));
    }

    [Fact]
    public void BuildInference_ReduxWithEmptyPrompt_SendsBlankAndAdapterOnFluxBase()
    {
        var task = RunwareTaskBuilder.BuildInference(new EditSpec { Tool = FluxTool.Redux, Prompt = "" }, new InferenceImages("guide-1"), TaskId, 1024, 1024);

        Assert.Equal("runware:101@1", (string?)task["model"]);
        Assert.Equal("__BLANK__", (string?)task["positivePrompt"]);
        var adapter = Assert.IsType<JsonObject>(Assert.Single(task["ipAdapters"]!.AsArray()));
        Assert.Equal("guide-1", (string?)adapter["guideImage"]);
        Assert.Equal("runware:105@1", (string?)adapter["model"]);
        Assert.False(adapter.ContainsKey("weight"));
        Assert.False(task.ContainsKey("seedImage"));
    }

    [Fact]
    public void BuildInference_OptionalParameters_AreSentOnlyWhenGiven()
    {
        var bare = RunwareTaskBuilder.BuildInference(new EditSpec { Tool = FluxTool.Canny, Prompt = "x y" }, new InferenceImages("g"), TaskId, 512, 512);
        Assert.False(bare.ContainsKey("steps"));
        Assert.False(bare.ContainsKey("CFGScale"));
        Assert.False(bare.ContainsKey("seed"));
        Assert.False(bare.ContainsKey("outputQuality"));

        var full = RunwareTaskBuilder.BuildInference(new EditSpec { Tool = FluxTool.Canny, Prompt = "x y", Steps = 28, CfgScale = 3.5, Seed = 42, NumberResults = 2, OutputFormat = OutputFormat.WEBP, OutputQuality = 70 }, new InferenceImages("g"), TaskId, 512, 512);
        Assert.Equal(28, (int?)full["steps"]);
        Assert.Equal(3.5, (double?)full["CFGScale"]);
        Assert.Equal(42L, (long?)full["seed"]);
        Assert.Equal(2, (int?)full["numberResults"]);
        Assert.Equal("WEBP", (string?)full["outputFormat"]);
        Assert.Equal(70, (int?)full["outputQuality"]);
    }
}

public sealed class SizePlannerTests
{
    [Theory]
    [InlineData(1024, 1024, 1024, 1024)]
    [InlineData(4000, 3000, 1216, 896)]
    [InlineData(3000, 4000, 896, 1216)]
    [InlineData(1920, 1080, 1344, 768)]
    [InlineData(100, 100, 1024, 1024)]
    public void Plan_NoSizeGiven_DerivesAboutOneMegapixelAtTheInputAspect(int w, int h, int expectedW, int expectedH)
    {
        var (width, height) = SizePlanner.Plan(w, h, null, null);

        Assert.Equal((expectedW, expectedH), (width, height));
        Assert.Equal(0, width % 64);
        Assert.Equal(0, height % 64);
    }

    [Fact]
    public void Plan_OneSideGiven_DerivesTheOtherFromTheAspect()
    {
        Assert.Equal((768, 576), SizePlanner.Plan(4000, 3000, 768, null));
        Assert.Equal((1024, 768), SizePlanner.Plan(4000, 3000, null, 768));
    }

    [Fact]
    public void Plan_ExtremeAspect_StaysWithinRange()
    {
        var (width, height) = SizePlanner.Plan(10000, 100, null, null);

        Assert.InRange(width, 128, 2048);
        Assert.InRange(height, 128, 2048);
    }
}
