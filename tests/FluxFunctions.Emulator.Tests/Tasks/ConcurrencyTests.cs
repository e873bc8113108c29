using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Tasks;

/// <summary>Many jobs at once (as the benchmarks push them): all finish, they overlap, the counters add up.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Inference_ManyAsyncAndSyncAtOnce_AllSucceedAndOverlap()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.LatencyMs = 200);
        var asyncTasks = Enumerable.Range(0, 40).Select(_ => Inference(Dev, 128).Async()).ToArray();
        var syncTasks = Enumerable.Range(0, 10).Select(_ => Inference(Dev, 128)).ToArray();

        var submits = await Task.WhenAll(asyncTasks.Concat(syncTasks).Select(t => emulator.PostAsync(t)));
        var results = await Task.WhenAll(asyncTasks.Select(t => emulator.PollUntilDoneAsync(t.Uuid())));

        Assert.All(submits, s => s.AssertOk());
        Assert.All(results, r => Assert.Equal("success", (string?)r.SingleData()["status"]));
        var stats = await emulator.StatsAsync();
        Assert.Equal(50, TestEmulator.Stat(stats, "inferencesAccepted"));
        Assert.Equal(50, TestEmulator.Stat(stats, "inferencesCompleted"));
        Assert.True(TestEmulator.Stat(stats, "maxInFlight") > 1, stats.ToJsonString());
        Assert.Equal(0, TestEmulator.Stat(stats, "inFlight"));
    }
}
