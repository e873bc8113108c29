using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>
/// ACE++ on FLUX.1 Fill as the emulator serves it (old-docs api-reference; runware-facts §10, acePlusPlus): the
/// acePlusPlus object only on runware:102@1, exactly one root referenceImages entry, and the reference recognisable in
/// the masked area; Kontext's extra reference images up to 2 in all.
/// </summary>
public sealed class AcePlusPlusModelTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string Photo = TestImages.DataUri(TestImages.Solid(256, 256, new SKColor(40, 40, 200)));
    private static readonly string MaskUri = TestImages.DataUri(TestImages.Mask(256, 256, new SKRectI(64, 64, 192, 192)));
    private static readonly string Green = TestImages.DataUri(TestImages.Solid(200, 120, new SKColor(20, 220, 30)));

    private TestEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task ImageInference_FillWithAcePlusPlus_PaintsTheReferenceIntoTheMaskAndKeepsTheRest()
    {
        using var image = TestImages.Decode(await Emulator.RenderAsync(AceTask()));

        var inside = image.GetPixel(128, 128);
        var outside = image.GetPixel(10, 10);
        Assert.True(inside.Green > 180 && inside.Blue < 80, $"inside {inside}");
        Assert.True(outside.Blue > 160 && outside.Green < 90, $"outside {outside}");
    }

    [Fact]
    public async Task ImageInference_AcePlusPlusWithoutRootReference_IsRejectedQuotingTheRule()
    {
        var task = AceTask();
        task.Remove("referenceImages");

        var error = (await Emulator.PostAsync(task)).AssertRejected("missingParameter", "referenceImages");

        Assert.Contains("must be specified at the root level", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageInference_AcePlusPlusWithTwoReferences_IsRejected()
    {
        var task = AceTask();
        task["referenceImages"] = new JsonArray(Green, Green);

        Assert.Contains((await Emulator.PostAsync(task)).Errors.OfType<JsonObject>(), e => (string?)e["parameter"] == "referenceImages");
    }

    [Theory]
    [InlineData("type", "\"collage\"", "acePlusPlus.type")]
    [InlineData("repaintingScale", "1.5", "acePlusPlus.repaintingScale")]
    [InlineData("inputImages", "[]", "acePlusPlus.inputImages")]
    [InlineData("strength", "0.5", "acePlusPlus.strength")]
    public async Task ImageInference_AcePlusPlusWithABadField_IsRejectedNamingIt(string field, string json, string parameter)
    {
        var task = AceTask();
        task["acePlusPlus"]![field] = JsonNode.Parse(json);

        Assert.Contains((await Emulator.PostAsync(task)).Errors.OfType<JsonObject>(), e => (string?)e["parameter"] == parameter);
    }

    [Theory]
    [InlineData("runware:101@1")]
    [InlineData("bfl:1@2")]
    public async Task ImageInference_AcePlusPlusOnAnotherModel_IsRejected(string model)
    {
        var task = AceTask();
        task["model"] = model;

        Assert.Contains((await Emulator.PostAsync(task)).Errors.OfType<JsonObject>(), e => (string?)e["parameter"] == "acePlusPlus");
    }

    [Fact]
    public async Task ImageInference_FillWithRootReferencesButNoAcePlusPlus_IsRejected()
    {
        var task = RunwareTasks.FillTask(Photo, MaskUri);
        task["referenceImages"] = new JsonArray(Green);

        (await Emulator.PostAsync(task)).AssertRejected("unsupportedParameter", "referenceImages");
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public async Task ImageInference_KontextReferences_TakesTheImageAndOneMore(int count, bool accepted)
    {
        var references = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            references.Add(i == 0 ? Photo : Green);
        }

        var task = new JsonObject
        {
            ["taskType"] = "imageInference",
            ["taskUUID"] = RunwareTasks.NewUuid(),
            ["model"] = "bfl:3@1",
            ["positivePrompt"] = "put the green card on the table",
            ["inputs"] = new JsonObject { ["referenceImages"] = references },
            ["width"] = 1024,
            ["height"] = 1024,
            ["outputType"] = "URL",
            ["outputFormat"] = "PNG",
        };

        var answer = await Emulator.PostAsync(task);

        Assert.Equal(accepted, !answer.Errors.OfType<JsonObject>().Any());
    }

    private static JsonObject AceTask() => new()
    {
        ["taskType"] = "imageInference",
        ["taskUUID"] = RunwareTasks.NewUuid(),
        ["model"] = "runware:102@1",
        ["positivePrompt"] = "the green card on the table",
        ["width"] = 256,
        ["height"] = 256,
        ["referenceImages"] = new JsonArray(Green),
        ["acePlusPlus"] = new JsonObject
        {
            ["type"] = "local_editing",
            ["inputImages"] = new JsonArray(Photo),
            ["inputMasks"] = new JsonArray(MaskUri),
            ["repaintingScale"] = 0.7,
        },
        ["numberResults"] = 1,
        ["outputType"] = "URL",
        ["outputFormat"] = "PNG",
        ["includeCost"] = true,
    };
}
