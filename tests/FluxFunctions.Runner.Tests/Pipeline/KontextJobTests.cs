using System.Text.Json.Nodes;
using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>The kontext tool end to end: the task a recording stand-in sees follows the chosen model's rules, and a job runs through the emulator.</summary>
public sealed class KontextJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Drop_KontextPro_SendsTheReferenceAndThePairNearestTheAspectAndNoSteps()
    {
        await using var recorder = await RecordingRunware.StartAsync();
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string>
        {
            ["Runware__BaseUrl"] = recorder.ApiUrl.ToString(),
            ["Runware__ApiKey"] = "recording-key-123",
        });

        await p.DropAsync("kontext/r/sky.json", """{"prompt":"make the sky stormy","model":"pro"}""");
        await p.DropAsync("kontext/r/sky.jpg", SampleJobs.Photo(1200, 900, 7));

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        Assert.Equal("bfl:3@1", (string?)Assert.Single(manifests).Json["runware"]!["model"]);
        var task = Assert.Single(recorder.Tasks("imageInference").DistinctBy(t => (string?)t["taskUUID"]));
        Assert.Equal("bfl:3@1", (string?)task["model"]);
        Assert.Equal("make the sky stormy", (string?)task["positivePrompt"]);
        Assert.Single(Assert.IsType<JsonArray>(task["inputs"]!["referenceImages"]));
        Assert.Equal((1184, 880), ((int)task["width"]!, (int)task["height"]!));
        foreach (var refused in new[] { "steps", "CFGScale", "negativePrompt", "seedImage", "maskImage", "ipAdapters" })
        {
            Assert.False(task.ContainsKey(refused), $"the kontext task carries '{refused}'");
        }
    }

    [Fact]
    public async Task Drop_Kontext_ThroughTheEmulator_CompletesAtThePairSize()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("kontext/e/street.json", """{"prompt":"make it night"}""");
        await p.DropAsync("kontext/e/street.jpg", SampleJobs.Photo(1600, 900, 8));

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        var manifest = Assert.Single(manifests).Json;
        Assert.Equal("kontext", (string?)manifest["tool"]);
        Assert.Equal("runware:106@1", (string?)manifest["runware"]!["model"]);
        var image = manifest["images"]![0]!;
        var blob = ((string)image["blob"]!)[(p.OutputContainer.Length + 1)..];
        using var result = SKBitmap.Decode((await p.Outputs.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal((1392, 752), (result.Width, result.Height));
    }
}
