using System.Diagnostics;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Dialects;

/// <summary><c>Emulator:VisibleAfterMs</c>: an accepted async inference is unknown to polling for a while (eventual consistency).</summary>
public sealed class VisibilityTests
{
    private const int VisibleAfterMs = 5000;

    [Fact]
    public async Task AsyncInference_BeforeVisibleAfterMs_IsUnknownYetRunsAndIsADuplicate()
    {
        // 5 s: the four checks below must come before it, and on a loaded CI host they once took 1.6 s (the first requests
        // of a fresh emulator); a request before the clock starts takes the warm-up out of it.
        await using var emulator = await TestEmulator.StartAsync(o => o.VisibleAfterMs = VisibleAfterMs);
        await emulator.PostAsync(GetResponse(Guid.NewGuid().ToString()));
        var task = Inference(Dev, 128).Async();
        var clock = Stopwatch.StartNew();

        (await emulator.PostAsync(task)).AssertOk();
        var early = await emulator.PostAsync(GetResponse(task.Uuid()));
        var earlyDetails = await emulator.PostAsync(TaskDetails(task.Uuid()));
        var duplicate = await emulator.PostAsync(task);
        var seenEarly = clock.ElapsedMilliseconds;

        Assert.True(seenEarly < VisibleAfterMs, $"the checks took {seenEarly} ms");
        early.AssertRejected("taskNotFound", "taskUUID");
        earlyDetails.AssertRejected("taskNotFound", "taskUUID");
        duplicate.AssertRejected("duplicateTaskUUID", "taskUUID");
        await TestEmulator.EventuallyAsync(async () => await emulator.StatAsync("inferencesCompleted") == 1, "the inference to run");

        await TestEmulator.EventuallyAsync(async () => (await emulator.PostAsync(GetResponse(task.Uuid()))).Errors.Count == 0, "the task to become visible");
        Assert.True(clock.ElapsedMilliseconds >= VisibleAfterMs);
        Assert.Equal("success", (string?)(await emulator.PostAsync(GetResponse(task.Uuid()))).SingleData()["status"]);
    }

    [Fact]
    public async Task SyncInference_WithVisibleAfterMs_IsVisibleAtOnce()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.VisibleAfterMs = 60_000);
        var task = Inference(Dev, 128);
        (await emulator.PostAsync(task)).AssertOk();

        var poll = await emulator.PostAsync(GetResponse(task.Uuid()));

        Assert.Equal("success", (string?)poll.SingleData()["status"]);
    }
}
