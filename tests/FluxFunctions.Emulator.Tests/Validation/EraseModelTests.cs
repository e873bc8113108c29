using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>
/// FLUX Erase (bfl:flux@erase) as the emulator serves it: images in <c>inputs</c>, no prompt, size, steps or CFG, and
/// a result at the input's size whose masked area is a smooth fill from its surroundings.
/// </summary>
public sealed class EraseModelTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Erase = "bfl:flux@erase";
    private static readonly string Photo = TestImages.DataUri(TestImages.Square(320, new SKColor(40, 120, 200), new SKColor(240, 20, 20)));
    private static readonly string MaskUri = TestImages.DataUri(TestImages.Mask(320, 320, new SKRectI(80, 80, 240, 240)));

    private TestEmulator Emulator => fixture.Emulator;

    public static TheoryData<string, string, string> Refused => new()
    {
        { "positivePrompt", "\"remove the car\"", "unsupportedParameter" },
        { "width", "1024", "unsupportedParameter" },
        { "height", "1024", "unsupportedParameter" },
        { "steps", "28", "unsupportedParameter" },
        { "CFGScale", "3.5", "unsupportedParameter" },
        { "seed", "42", "unsupportedParameter" },
        { "seedImage", "\"x\"", "unsupportedParameter" },
        { "strength", "0.5", "unsupportedParameter" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ImageInference_EraseWithAFieldItDoesNotTake_IsRejectedNamingIt(string field, string json, string code)
    {
        var task = EraseTask(Photo, MaskUri);
        task[field] = JsonNode.Parse(json);

        var answer = await Emulator.PostAsync(task);

        var error = answer.AssertRejected(code, field);
        Assert.Contains(Erase, (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageInference_EraseWithoutMask_IsRejectedNamingInputsMaskImage()
    {
        var task = EraseTask(Photo, MaskUri);
        task["inputs"]!.AsObject().Remove("maskImage");

        var answer = await Emulator.PostAsync(task);

        answer.AssertRejected("missingParameter", "inputs.maskImage");
    }

    [Fact]
    public async Task ImageInference_FillWithInputs_IsRejected()
    {
        var task = RunwareTasks.FillTask(Photo, MaskUri);
        task["inputs"] = new JsonObject { ["seedImage"] = Photo };

        var answer = await Emulator.PostAsync(task);

        answer.AssertRejected("unsupportedParameter", "inputs");
    }

    [Fact]
    public async Task ImageInference_Erase_KeepsTheInputSizeAndFillsTheHoleSmoothlyFromItsSurroundings()
    {
        // A blue image with a red square; the mask covers the square.
        var bytes = await Emulator.RenderAsync(EraseTask(Photo, MaskUri));

        using var image = TestImages.Decode(bytes);
        Assert.Equal((320, 320), (image.Width, image.Height));
        var centre = image.GetPixel(160, 160);
        Assert.True(centre.Blue > centre.Red, $"the red square is gone: {centre}");
        var near = image.GetPixel(170, 150);
        Assert.InRange(Math.Abs(centre.Blue - near.Blue), 0, 24);
        var outside = image.GetPixel(10, 10);
        Assert.InRange(outside.Blue, 190, 230);
    }

    private static JsonObject EraseTask(string seed, string mask) => new()
    {
        ["taskType"] = "imageInference",
        ["taskUUID"] = RunwareTasks.NewUuid(),
        ["model"] = Erase,
        ["inputs"] = new JsonObject { ["seedImage"] = seed, ["maskImage"] = mask },
        ["numberResults"] = 1,
        ["outputType"] = "URL",
        ["outputFormat"] = "PNG",
        ["includeCost"] = true,
    };
}
