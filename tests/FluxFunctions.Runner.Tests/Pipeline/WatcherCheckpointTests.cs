using System.Text.Json;
using FluxFunctions.Runner.Watching;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// The runner's watcher writes its checkpoint (every input blob it handled) at most every
/// <see cref="InputWatcher.CheckpointEvery"/> while drops keep coming, and when it stops.
/// </summary>
public sealed class WatcherCheckpointTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Checkpoint_WrittenOnceWhileDropsKeepComing_AndOnStop()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("redux/first.jpg", SampleJobs.Photo(256, 256, 1));
        await p.WaitForOutcomesAsync(1, Timeout);
        var first = await CheckpointAsync(p);
        Assert.Contains("redux/first.jpg", first.Names);

        // A second drop well within the interval: its job runs, the checkpoint is not rewritten for it.
        await p.DropAsync("redux/second.jpg", SampleJobs.Photo(256, 256, 2));
        await p.WaitForOutcomesAsync(2, Timeout);
        await Task.Delay(TimeSpan.FromSeconds(1)); // a few more watcher passes (every 200 ms here)
        var meanwhile = await CheckpointAsync(p);
        Assert.Equal(first.ETag, meanwhile.ETag);
        Assert.DoesNotContain("redux/second.jpg", meanwhile.Names);

        await p.StopRunnerAsync();
        var stopped = await CheckpointAsync(p);
        Assert.Contains("redux/first.jpg", stopped.Names);
        Assert.Contains("redux/second.jpg", stopped.Names);
    }

    private static async Task<(string ETag, IReadOnlyCollection<string> Names)> CheckpointAsync(PipelineHarness p)
    {
        var blob = p.Blobs.GetBlobContainerClient(p.WorkContainer).GetBlobClient("watcher/checkpoint.json");
        var content = (await blob.DownloadContentAsync()).Value;
        var names = JsonSerializer.Deserialize<Dictionary<string, string>>(content.Content.ToStream())!;
        return (content.Details.ETag.ToString(), names.Keys);
    }
}
