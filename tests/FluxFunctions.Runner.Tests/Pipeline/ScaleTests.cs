using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>Concurrency bounds and scale-out on one task hub.</summary>
public sealed class ScaleTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task MaxConcurrentInferences_BoundsWhatIsInFlightAtRunware()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite, latencyMs: 1500);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__MaxConcurrentInferences"] = "2" });

        for (var i = 0; i < 6; i++)
        {
            await p.DropAsync($"redux/bound/r{i}.json", """{"numberResults":1}""");
            await p.DropAsync($"redux/bound/r{i}.jpg", SampleJobs.Photo(384, 384, i));
        }

        var (manifests, failures) = await p.WaitForOutcomesAsync(6, TimeSpan.FromSeconds(120));
        var stats = await p.StatsAsync();

        Assert.Empty(failures);
        Assert.Equal(6, manifests.Count);
        Assert.InRange((long)stats["maxInFlight"]!, 1, 2);
        Assert.Equal(6L, (long)stats["inferencesAccepted"]!);
    }

    [Fact]
    public async Task TwoRunnersOnOneTaskHub_ShareTheBatchWithoutDuplicates()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite, latencyMs: 1000);
        await using var a = await RunnerProcess.StartAsync(p.Settings());
        await using var b = await RunnerProcess.StartAsync(p.Settings());
        var jobs = await CrashRecoveryTests.DropBatchAsync(p, 20);

        var (manifests, failures) = await p.WaitForOutcomesAsync(jobs, TimeSpan.FromSeconds(180));
        await Task.Delay(2000);
        (manifests, failures) = await p.WaitForOutcomesAsync(jobs, TimeSpan.Zero);
        var stats = await p.StatsAsync();

        Assert.Empty(failures);
        Assert.Equal(jobs, manifests.Count);
        Assert.All(manifests.GroupBy(m => (string)m.Json["source"]!["blob"]!), g => Assert.Single(g));
        Assert.Equal(jobs, (long)stats["inferencesAccepted"]!);
        Assert.Equal(0L, (long)stats["duplicateSubmissions"]!);
        Assert.False(a.HasExited || b.HasExited);
    }
}
