using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// <c>outputQuality</c> for lossy results, end to end on the runner, Azurite and the emulator: sent to Runware as its
/// documented field, used when the pipeline re-encodes a stitched Fill result, recorded in the manifest.
/// </summary>
public sealed class OutputQualityTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Drop_FillAsJpeg_QualityReachesRunwareTheStoredImageAndTheManifest()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();
        var photo = SampleJobs.Photo(640, 480, 3);
        foreach (var quality in new[] { 25, 95 })
        {
            await p.DropAsync($"fill/q/q{quality}.mask.png", SampleJobs.Mask(640, 480));
            await p.DropAsync($"fill/q/q{quality}.json", $$"""{"prompt":"a red door","seed":4,"outputFormat":"JPG","outputQuality":{{quality}}}""");
            await p.DropAsync($"fill/q/q{quality}.jpg", photo);
        }

        var (manifests, failures) = await p.WaitForOutcomesAsync(2, TimeSpan.FromSeconds(120));

        Assert.Empty(failures);
        var sizes = new Dictionary<int, long>();
        foreach (var (_, manifest) in manifests)
        {
            var quality = (int)manifest["parameters"]!["outputQuality"]!;
            var blob = ((string)manifest["images"]![0]!["blob"]!)[(p.OutputContainer.Length + 1)..];
            Assert.EndsWith(".jpg", blob, StringComparison.Ordinal);
            sizes[quality] = (await p.Outputs.GetBlobClient(blob).GetPropertiesAsync()).Value.ContentLength;
        }

        Assert.True(sizes[25] * 2 < sizes[95], $"quality 25 gave {sizes[25]} bytes, 95 gave {sizes[95]}");
        var sent = (await p.RecordedTasksAsync()).Select(t => t.Task).Where(t => (string?)t["taskType"] == "imageInference").Select(t => (int?)t["outputQuality"]).Distinct().Order();
        Assert.Equal([25, 95], sent);
    }
}
