using System.Diagnostics;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Dialects;

/// <summary><c>Emulator:VisibleAfterMs</c>: an accepted async inference is unknown to polling for a while (eventual consistency).</summary>
public sealed class VisibilityTests
{
    [Fact]
    public async Task AsyncInference_BeforeVisibleAfterMs_IsUnknownYetRunsAndIsADuplicate()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.VisibleAfterMs = 1500);
        var task = Inference(Dev, 128).Async();
        var clock = Stopwatch.StartNew();

        (await emulator.PostAsync(task)).AssertOk();
        var early = await emulator.PostAsync(GetResponse(task.Uuid()));
        var earlyDetails = await emulator.PostAsync(TaskDetails(task.Uuid()));
        var duplicate = await emulator.PostAsync(task);
        var seenEarly = clock.ElapsedMilliseconds;

        Assert.True(seenEarly < 1500, $"the checks took {seenEarly} ms");
        early.AssertRejected("taskNotFound", "taskUUID");
        earlyDetails.AssertRejected("taskNotFound", "taskUUID");
        duplicate.AssertRejected("duplicateTaskUUID", "taskUUID");
        await TestEmulator.EventuallyAsync(async () => await emulator.StatAsync("inferencesCompleted") == 1, "the inference to run");

        await TestEmulator.EventuallyAsync(async () => (await emulator.PostAsync(GetResponse(task.Uuid()))).Errors.Count == 0, "the task to become visible");
        Assert.True(clock.ElapsedMilliseconds >= 1500);
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
