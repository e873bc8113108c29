using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>FLUX.1 Kontext dev, pro and max as the emulator serves them: the image in inputs.referenceImages, fixed size pairs, pro/max without steps or CFG.</summary>
public sealed class KontextModelTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string Photo = TestImages.DataUri(TestImages.Gradient(320, 240));

    private TestEmulator Emulator => fixture.Emulator;

    [Theory]
    [InlineData("runware:106@1", 1248, 832)]
    [InlineData("bfl:3@1", 1392, 752)]
    [InlineData("bfl:4@1", 672, 1568)]
    public async Task ImageInference_KontextWithAPairOfItsSizes_ReturnsThatSize(string model, int width, int height)
    {
        var task = KontextTask(model);
        task["width"] = width;
        task["height"] = height;

        var bytes = await Emulator.RenderAsync(task);

        using var image = TestImages.Decode(bytes);
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public async Task ImageInference_KontextDevWithoutSize_Is1024Square()
    {
        using var image = TestImages.Decode(await Emulator.RenderAsync(KontextTask("runware:106@1")));

        Assert.Equal((1024, 1024), (image.Width, image.Height));
    }

    [Theory]
    [InlineData("bfl:3@1", null, "missingParameter", "width")]
    [InlineData("bfl:3@1", "steps", "unsupportedParameter", "steps")]
    [InlineData("bfl:4@1", "CFGScale", "unsupportedParameter", "CFGScale")]
    [InlineData("runware:106@1", "seedImage", "unsupportedParameter", "seedImage")]
    public async Task ImageInference_KontextBreakingItsRules_IsRejected(string model, string? extra, string code, string parameter)
    {
        var task = KontextTask(model);
        if (extra is not null)
        {
            task["width"] = 1024;
            task["height"] = 1024;
            task[extra] = extra == "seedImage" ? Photo : 20;
        }

        var answer = await Emulator.PostAsync(task);

        answer.AssertRejected(code, parameter);
    }

    [Fact]
    public async Task ImageInference_KontextSizeNotOneOfItsPairs_IsRejected()
    {
        var task = KontextTask("runware:106@1");
        task["width"] = 1024;
        task["height"] = 768;

        var answer = await Emulator.PostAsync(task);

        Assert.Contains(answer.Errors.OfType<JsonObject>(), e => (string?)e["parameter"] == "width");
    }

    private static JsonObject KontextTask(string model) => new()
    {
        ["taskType"] = "imageInference",
        ["taskUUID"] = RunwareTasks.NewUuid(),
        ["model"] = model,
        ["positivePrompt"] = "make the sky stormy",
        ["inputs"] = new JsonObject { ["referenceImages"] = new JsonArray(Photo) },
        ["numberResults"] = 1,
        ["outputType"] = "URL",
        ["outputFormat"] = "PNG",
        ["includeCost"] = true,
    };
}
