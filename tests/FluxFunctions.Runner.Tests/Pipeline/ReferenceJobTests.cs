using System.Text.Json.Nodes;
using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// Reference images and fill-pro end to end: a recording stand-in for Runware sees tasks that follow each model's
/// rules, and jobs run through the emulator (which refuses what the models forbid).
/// </summary>
public sealed class ReferenceJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Width = 2048;
    private const int Height = 1536;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly SKRectI Left = new(150, 200, 310, 320);
    private static readonly SKRectI Right = new(1650, 1200, 1810, 1320);

    private static readonly Lazy<byte[]> BigPhoto = new(() =>
    {
        using var photo = TestImages.PhotoLike(Width, Height, 43);
        return TestFiles.Jpeg(photo, 90);
    });

    [Fact]
    public async Task Drop_KontextWithARefCompanion_SendsTheImageAndTheReferenceInInputsReferenceImages()
    {
        await using var recorder = await RecordingRunware.StartAsync();
        await using var p = await StartAsync(recorder);

        await p.DropAsync("kontext/r/mug.ref.png", Green(300, 200));
        await p.DropAsync("kontext/r/mug.json", """{"prompt":"put the green card on the mug","model":"max"}""");
        await p.DropAsync("kontext/r/mug.jpg", SampleJobs.Photo(1200, 900, 9));

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        Assert.Single(manifests);
        var task = Assert.Single(recorder.Tasks("imageInference").DistinctBy(t => (string?)t["taskUUID"]));
        Assert.Equal("bfl:4@1", (string?)task["model"]);
        var references = Assert.IsType<JsonArray>(task["inputs"]!["referenceImages"]).Select(r => (string?)r).ToList();
        Assert.Equal(2, references.Count);
        Assert.NotEqual(references[0], references[1]);
        Assert.Equal(2, recorder.Tasks("imageUpload").Count());
        foreach (var refused in new[] { "referenceImages", "acePlusPlus", "seedImage", "steps", "CFGScale" })
        {
            Assert.False(task.ContainsKey(refused), $"the kontext task carries '{refused}'");
        }
    }

    [Fact]
    public async Task Drop_FillWithARefCompanionInTwoCrops_EveryCropTaskCarriesTheReferenceAsAcePlusPlus()
    {
        await using var recorder = await RecordingRunware.StartAsync();
        await using var p = await StartAsync(recorder);

        await p.DropAsync("fill/r/yard.ref.png", Green(256, 256));
        await p.DropAsync("fill/r/yard.mask.png", MaskPng(Left, Right));
        await p.DropAsync("fill/r/yard.json", """{"prompt":"two green garden gnomes","seed":11}""");
        await p.DropAsync("fill/r/yard.jpg", BigPhoto.Value);

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        Assert.Equal(2, Assert.Single(manifests).Json["context"]!["crops"]!.AsArray().Count);
        var tasks = recorder.Tasks("imageInference").DistinctBy(t => (string?)t["taskUUID"]).ToList();
        Assert.Equal(2, tasks.Count);
        var reference = (string?)Assert.Single(Assert.IsType<JsonArray>(tasks[0]["referenceImages"]));
        Assert.All(tasks, task =>
        {
            Assert.Equal("runware:102@1", (string?)task["model"]);
            Assert.Equal(reference, (string?)Assert.Single(Assert.IsType<JsonArray>(task["referenceImages"])));
            var ace = Assert.IsType<JsonObject>(task["acePlusPlus"]);
            Assert.Equal("local_editing", (string?)ace["type"]);
            Assert.Single(Assert.IsType<JsonArray>(ace["inputImages"]));
            Assert.Single(Assert.IsType<JsonArray>(ace["inputMasks"]));
            Assert.NotNull(task["width"]);
            Assert.False(task.ContainsKey("seedImage"), "the image goes once, in acePlusPlus.inputImages");
            Assert.False(task.ContainsKey("inputs"));
        });
        Assert.NotEqual((string?)tasks[0]["acePlusPlus"]!["inputImages"]![0], (string?)tasks[1]["acePlusPlus"]!["inputImages"]![0]);
    }

    [Fact]
    public async Task Drop_FillWithARefCompanion_ThroughTheEmulator_PaintsTheReferenceInEachCropAndKeepsTheRest()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/e/yard.ref.png", Green(256, 256));
        await p.DropAsync("fill/e/yard.mask.png", MaskPng(Left, Right));
        await p.DropAsync("fill/e/yard.json", """{"prompt":"two green garden gnomes","seed":11,"maskFeather":0,"colorMatch":false,"outputFormat":"PNG"}""");
        await p.DropAsync("fill/e/yard.jpg", BigPhoto.Value);

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        var inferences = (await p.RecordedTasksAsync()).Where(t => (string?)t.Task["taskType"] == "imageInference").ToList();
        Assert.Equal(2, inferences.Count);
        Assert.All(inferences, i => Assert.Equal(200, i.Status));
        Assert.All(inferences, i => Assert.NotNull(i.Task["acePlusPlus"]));
        using var result = await ResultAsync(p, Assert.Single(manifests).Json);
        Assert.Equal((Width, Height), (result.Width, result.Height));
        foreach (var hole in new[] { Left, Right })
        {
            var inside = result.GetPixel(hole.MidX, hole.MidY);
            Assert.True(inside.Green > 170 && inside.Red < 90 && inside.Blue < 90, $"inside {hole}: {inside}");
        }
    }

    [Fact]
    public async Task Drop_FillPro_SendsInputsAndThePromptAndNoSize()
    {
        await using var recorder = await RecordingRunware.StartAsync();
        await using var p = await StartAsync(recorder);

        await p.DropAsync("fill-pro/r/door.mask.png", SampleJobs.Mask(800, 600));
        await p.DropAsync("fill-pro/r/door.json", """{"prompt":"a red wooden door","steps":40,"cfgScale":60}""");
        await p.DropAsync("fill-pro/r/door.jpg", SampleJobs.Photo(800, 600, 5));

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        Assert.Equal("bfl:1@2", (string?)Assert.Single(manifests).Json["runware"]!["model"]);
        var task = Assert.Single(recorder.Tasks("imageInference").DistinctBy(t => (string?)t["taskUUID"]));
        Assert.Equal("bfl:1@2", (string?)task["model"]);
        Assert.Equal("a red wooden door", (string?)task["positivePrompt"]);
        var inputs = Assert.IsType<JsonObject>(task["inputs"]);
        Assert.Equal(2, inputs.Count);
        Assert.NotNull((string?)inputs["seedImage"]);
        Assert.NotNull((string?)inputs["maskImage"]);
        Assert.Equal((40, 60.0), ((int)task["steps"]!, (double)task["CFGScale"]!));
        foreach (var refused in new[] { "width", "height", "negativePrompt", "scheduler", "strength", "maskMargin", "lora", "seedImage", "maskImage", "outpaint", "referenceImages", "acePlusPlus" })
        {
            Assert.False(task.ContainsKey(refused), $"the fill-pro task carries '{refused}'");
        }
    }

    [Fact]
    public async Task Drop_FillProInTwoCrops_ThroughTheEmulator_CompletesAtTheInputSizeWithThePhotoOutsideTheMask()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill-pro/e/yard.mask.png", MaskPng(Left, Right));
        await p.DropAsync("fill-pro/e/yard.json", """{"prompt":"two garden gnomes","maskFeather":0,"outputFormat":"PNG"}""");
        await p.DropAsync("fill-pro/e/yard.jpg", BigPhoto.Value);

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        var manifest = Assert.Single(manifests).Json;
        Assert.Equal("fill-pro", (string?)manifest["tool"]);
        Assert.Equal(2, manifest["context"]!["crops"]!.AsArray().Count);
        var inferences = (await p.RecordedTasksAsync()).Where(t => (string?)t.Task["taskType"] == "imageInference").ToList();
        Assert.Equal(2, inferences.Count);
        Assert.All(inferences, i => Assert.Equal(200, i.Status));
        Assert.All(inferences, i => Assert.False(i.Task.ContainsKey("width")));
        using var result = await ResultAsync(p, manifest);
        using var original = TestImages.DecodeRaw(BigPhoto.Value);
        Assert.Equal((Width, Height), (result.Width, result.Height));
        Assert.Equal(original.GetPixel(1000, 800), result.GetPixel(1000, 800));
        Assert.Equal(original.GetPixel(20, 1500), result.GetPixel(20, 1500));
    }

    private async Task<PipelineHarness> StartAsync(RecordingRunware recorder)
    {
        var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string>
        {
            ["Runware__BaseUrl"] = recorder.ApiUrl.ToString(),
            ["Runware__ApiKey"] = "recording-key-123",
        });
        return p;
    }

    private static async Task<SKBitmap> ResultAsync(PipelineHarness p, JsonNode manifest)
    {
        var blob = ((string)manifest["images"]![0]!["blob"]!)[(p.OutputContainer.Length + 1)..];
        return TestImages.DecodeRaw((await p.Outputs.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray());
    }

    private static byte[] Green(int width, int height)
    {
        using var green = TestImages.Solid(width, height, new SKColor(20, 220, 30));
        return TestFiles.Png(green);
    }

    private static byte[] MaskPng(params SKRectI[] rects)
    {
        using var mask = TestImages.Mask(Width, Height, rects);
        return TestFiles.Png(mask);
    }
}
