using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>
/// FLUX.1 Fill [pro] (bfl:1@2) as the emulator serves it (task_map.py BflFlux1FillProParams; old-docs providers/bfl):
/// images in <c>inputs</c>, a prompt, no size (the output has the input's), steps 15–50, CFGScale 1.5–100.
/// </summary>
public sealed class FillProModelTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string FillPro = "bfl:1@2";
    private static readonly string Photo = TestImages.DataUri(TestImages.Square(320, new SKColor(40, 120, 200), new SKColor(240, 20, 20)));
    private static readonly string MaskUri = TestImages.DataUri(TestImages.Mask(320, 320, new SKRectI(80, 80, 240, 240)));

    private TestEmulator Emulator => fixture.Emulator;

    public static TheoryData<string, string, string> Refused => new()
    {
        { "width", "1024", "unsupportedParameter" },
        { "height", "1024", "unsupportedParameter" },
        { "negativePrompt", "\"blurry\"", "unsupportedParameter" },
        { "scheduler", "\"Euler\"", "unsupportedParameter" },
        { "strength", "0.5", "unsupportedParameter" },
        { "seedImage", "\"x\"", "unsupportedParameter" },
        { "acePlusPlus", "{\"type\":\"subject\"}", "unsupportedParameter" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ImageInference_FillProWithAFieldItDoesNotTake_IsRejectedNamingIt(string field, string json, string code)
    {
        var task = FillProTask();
        task[field] = JsonNode.Parse(json);

        var answer = await Emulator.PostAsync(task);

        var error = answer.AssertRejected(code, field);
        Assert.Contains(FillPro, (string?)error["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("steps", 14)]
    [InlineData("steps", 51)]
    [InlineData("CFGScale", 1.4)]
    [InlineData("CFGScale", 100.5)]
    public async Task ImageInference_FillProOutsideItsRanges_IsRejected(string field, double value)
    {
        var task = FillProTask();
        task[field] = value;

        var answer = await Emulator.PostAsync(task);

        Assert.Contains(answer.Errors.OfType<JsonObject>(), e => (string?)e["parameter"] == field);
    }

    [Fact]
    public async Task ImageInference_FillProWithoutMaskOrPrompt_IsRejected()
    {
        var noMask = FillProTask();
        noMask["inputs"]!.AsObject().Remove("maskImage");
        var noPrompt = FillProTask();
        noPrompt.Remove("positivePrompt");

        (await Emulator.PostAsync(noMask)).AssertRejected("missingParameter", "inputs.maskImage");
        Assert.Contains((await Emulator.PostAsync(noPrompt)).Errors.OfType<JsonObject>(), e => (string?)e["parameter"] == "positivePrompt");
    }

    [Fact]
    public async Task ImageInference_FillPro_ReturnsTheInputsSizeAndKeepsTheUnmaskedArea()
    {
        var task = FillProTask();
        task["steps"] = 50;
        task["CFGScale"] = 60;

        using var image = TestImages.Decode(await Emulator.RenderAsync(task));

        Assert.Equal((320, 320), (image.Width, image.Height));
        var corner = image.GetPixel(10, 10);
        Assert.True(Math.Abs(corner.Red - 40) < 24 && Math.Abs(corner.Blue - 200) < 24, $"corner {corner}");
    }

    private static JsonObject FillProTask() => new()
    {
        ["taskType"] = "imageInference",
        ["taskUUID"] = RunwareTasks.NewUuid(),
        ["model"] = FillPro,
        ["positivePrompt"] = "a wooden door",
        ["inputs"] = new JsonObject { ["seedImage"] = Photo, ["maskImage"] = MaskUri },
        ["numberResults"] = 1,
        ["outputType"] = "URL",
        ["outputFormat"] = "PNG",
        ["includeCost"] = true,
    };
}
