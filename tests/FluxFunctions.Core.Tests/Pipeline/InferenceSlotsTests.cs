using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>
/// The deployment's inference slots on a real table (Azurite), with two <see cref="InferenceSlots"/> standing for two
/// hosts of one deployment.
/// </summary>
public sealed class InferenceSlotsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task AcquireAsync_TwoHosts_NeverMoreHoldersThanSlots()
    {
        var (a, b) = Hosts(capacity: 2);
        using (a)
        using (b)
        {
            var claims = await Task.WhenAll(
                a.AcquireAsync("t1", NoWait, default), b.AcquireAsync("t2", NoWait, default),
                a.AcquireAsync("t3", NoWait, default), b.AcquireAsync("t4", NoWait, default));

            Assert.Equal(2, claims.Count(c => c.Held));
            Assert.Equal(2, a.HeldHere + b.HeldHere);
        }
    }

    [Fact]
    public async Task AcquireAsync_AfterARestart_AnAttemptWaitingInLineGetsTheSlotItAlreadyHolds()
    {
        var (killed, restarted) = Hosts(capacity: 1);
        using (killed)
        using (restarted)
        {
            // The killed host took the only slot for "again"; the durable engine runs that attempt again on the restarted
            // host, where another attempt already waits in line.
            Assert.True((await killed.AcquireAsync("again", NoWait, default)).Held);
            var other = restarted.AcquireAsync("other", TimeSpan.FromSeconds(3), default);
            await WaitUntilAsync(() => restarted.Waiting == 1);

            var again = await restarted.AcquireAsync("again", TimeSpan.FromSeconds(10), default);

            Assert.True(again.Held);
            Assert.True(await restarted.IsHeldAsync("again", default));
            Assert.False((await other).Held);
        }
    }

    [Fact]
    public async Task ReleaseAsync_OnAnotherHost_FreesTheSlotForEveryone()
    {
        var (a, b) = Hosts(capacity: 1);
        using (a)
        using (b)
        {
            Assert.True((await a.AcquireAsync("taken-on-a", NoWait, default)).Held);
            Assert.False((await b.AcquireAsync("waits", NoWait, default)).Held);

            // The result was seen on host B (a durable poll, a webhook): B gives back the slot A took.
            await b.ReleaseAsync("taken-on-a", default);

            Assert.False(await b.IsHeldAsync("taken-on-a", default));
            Assert.True((await b.AcquireAsync("waits", NoWait, default)).Held);
        }
    }

    [Fact]
    public async Task ReleaseAsync_WithAWaiterOnTheSameHost_HandsTheSlotStraightToIt()
    {
        var (a, b) = Hosts(capacity: 1);
        using (a)
        using (b)
        {
            var second = await FirstHeldSecondWaitingAsync(a);

            await a.ReleaseAsync("first", default);

            Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(5))).Held);
            Assert.True(await b.IsHeldAsync("second", default));
            Assert.False((await b.AcquireAsync("third", NoWait, default)).Held);
        }
    }

    [Fact]
    public async Task ReleaseAsync_WithAWaiterOnTheSameHost_HandsTheSlotOnBeforeItsRowIsWritten()
    {
        var writes = new HeldWrites();
        var (a, b) = Hosts(capacity: 1, writesOfA: writes);
        using (a)
        using (b)
        {
            var second = await FirstHeldSecondWaitingAsync(a);

            // The table's answer to the write naming "second" is held back: the submission does not wait for it.
            writes.Hold();
            var release = a.ReleaseAsync("first", default);
            Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(5))).Held);
            Assert.False(release.IsCompleted);

            // Its result comes before the row names it: giving it back waits for that write, then frees the slot.
            var secondBack = a.ReleaseAsync("second", default);
            await Task.Delay(200);
            Assert.False(secondBack.IsCompleted);
            writes.Let();
            Assert.True(await release);
            Assert.True(await secondBack);
            Assert.False(await b.IsHeldAsync("second", default));
            Assert.True((await b.AcquireAsync("third", NoWait, default)).Held);
        }
    }

    [Fact]
    public async Task ReleaseAsync_HandingOnASlotGivenBackElsewhereMeanwhile_TheNextTakesTheFreeSlot()
    {
        var (a, b) = Hosts(capacity: 1);
        using (a)
        using (b)
        {
            var second = await FirstHeldSecondWaitingAsync(a);

            // The result was seen on both hosts (the webhook on B, the watch on A): B gives the slot back first.
            await b.ReleaseAsync("first", default);
            await a.ReleaseAsync("first", default);

            Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(5))).Held);
            await WaitUntilAsync(() => b.IsHeldAsync("second", default).GetAwaiter().GetResult());
            Assert.False((await b.AcquireAsync("third", NoWait, default)).Held);
            Assert.True(await b.ReleaseAsync("second", default));
            Assert.True((await b.AcquireAsync("third", NoWait, default)).Held);
        }
    }

    [Fact]
    public async Task ReleaseAsync_WriteThrowsWhileHandingOnASlotTakenElsewhere_TheWaiterKeepsWaitingAndTimesOut()
    {
        var writes = new HeldWrites();
        var (a, b) = Hosts(capacity: 1, writesOfA: writes);
        using (a)
        using (b)
        {
            Assert.True((await b.AcquireAsync("taken-on-b", NoWait, default)).Held);
            var waiting = a.AcquireAsync("waits-on-a", TimeSpan.FromSeconds(2), default);
            await WaitUntilAsync(() => a.Waiting == 1);

            // The result is seen on A, which hands B's slot to its waiter; the table write throws (storage unreachable).
            writes.Fail();
            await Assert.ThrowsAsync<InvalidOperationException>(() => a.ReleaseAsync("taken-on-b", default));

            // The waiter went back to the line, and leaves it when its wait is over (before, it waited forever).
            Assert.False((await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Held);
        }
    }

    [Fact]
    public async Task AcquireAsync_WaitingWhileAnotherHostGivesBack_GetsTheSlotFromItsPoll()
    {
        var (a, b) = Hosts(capacity: 1);
        using (a)
        using (b)
        {
            Assert.True((await b.AcquireAsync("on-b", NoWait, default)).Held);
            var waiting = a.AcquireAsync("on-a", TimeSpan.FromSeconds(20), default);
            await WaitUntilAsync(() => a.Waiting == 1);

            await b.ReleaseAsync("on-b", default);

            Assert.True((await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Held);
        }
    }

    [Fact]
    public async Task ReleaseAsync_WaitersOfJobsCreatedInAnotherOrder_ServesTheOldestJobFirst()
    {
        var (a, b) = Hosts(capacity: 1);
        using (a)
        using (b)
        {
            // Jobs whose activities began out of the order the jobs were created in (a flood of admissions does that).
            var created = DateTimeOffset.UtcNow.AddMinutes(-1);
            Assert.True((await a.AcquireAsync("holder", NoWait, default)).Held);
            var order = new List<string>();
            var waiters = new List<Task>();
            foreach (var (task, age) in new[] { ("young", 3), ("old", 1), ("middle", 2), ("old-too", 1) })
            {
                waiters.Add(a.AcquireAsync(task, created.AddSeconds(age), TimeSpan.FromSeconds(20), default).ContinueWith(
                    claim =>
                    {
                        Assert.True(claim.Result.Held);
                        lock (order)
                        {
                            order.Add(task);
                        }
                    },
                    TaskScheduler.Default));
                await WaitUntilAsync(() => a.Waiting == waiters.Count);
            }

            // Each slot given back goes to the waiter of the oldest job (among jobs as old, the first to come).
            var holder = "holder";
            for (var served = 1; served <= 4; served++)
            {
                await a.ReleaseAsync(holder, default);
                await WaitUntilAsync(() => order.Count == served);
                holder = order[^1];
            }

            await Task.WhenAll(waiters);
            Assert.Equal(["old", "old-too", "middle", "young"], order);
        }
    }

    [Fact]
    public async Task AcquireAsync_LineFullOrWaitOver_IsNotHeldAndSaysHowManyWaitAhead()
    {
        var (a, b) = Hosts(capacity: 1, line: 2);
        using (a)
        using (b)
        {
            Assert.True((await a.AcquireAsync("holder", NoWait, default)).Held);
            var first = a.AcquireAsync("w1", TimeSpan.FromMilliseconds(600), default);
            var second = a.AcquireAsync("w2", TimeSpan.FromMilliseconds(600), default);
            await WaitUntilAsync(() => a.Waiting == 2);

            // The line holds two (Flux__SlotLineLength): the next is turned away at once, with two ahead of it.
            var turnedAway = await a.AcquireAsync("w3", TimeSpan.FromSeconds(20), default);
            Assert.Equal(new SlotClaim(false, 2, WaitedOut: false), turnedAway);

            // The ones in line give up when their wait is over, and leave the line, saying so and how many were ahead
            // (the runner sends one near the head back in about its turn, not behind every ticket).
            var firstClaim = await first;
            var secondClaim = await second;
            Assert.False(firstClaim.Held);
            Assert.False(secondClaim.Held);
            Assert.True(firstClaim.WaitedOut && secondClaim.WaitedOut);
            Assert.Contains(0, new[] { firstClaim.Ahead, secondClaim.Ahead });
            Assert.All(new[] { firstClaim.Ahead, secondClaim.Ahead }, ahead => Assert.InRange(ahead, 0, 1));
            Assert.Equal(0, a.Waiting);
        }
    }

    [Fact]
    public async Task AcquireAsync_LineFullOfYoungerJobs_AnOlderJobTakesTheYoungestsPlace()
    {
        var (a, b) = Hosts(capacity: 1, line: 2);
        using (a)
        using (b)
        {
            var created = DateTimeOffset.UtcNow.AddMinutes(-1);
            Assert.True((await a.AcquireAsync("holder", NoWait, default)).Held);
            var middle = a.AcquireAsync("middle", created.AddSeconds(2), TimeSpan.FromSeconds(20), default);
            var youngest = a.AcquireAsync("youngest", created.AddSeconds(3), TimeSpan.FromSeconds(20), default);
            await WaitUntilAsync(() => a.Waiting == 2);

            // As young as the last in line: turned away, as before.
            Assert.Equal(new SlotClaim(false, 2), await a.AcquireAsync("as-young", created.AddSeconds(3), TimeSpan.FromSeconds(20), default));

            // Older than the last in line: it takes that place, and the youngest is told to come back at once, not after its wait.
            var oldest = a.AcquireAsync("oldest", created.AddSeconds(1), TimeSpan.FromSeconds(20), default);
            Assert.False((await youngest.WaitAsync(TimeSpan.FromSeconds(5))).Held);
            Assert.Equal(2, a.Waiting);

            await a.ReleaseAsync("holder", default);
            Assert.True((await oldest.WaitAsync(TimeSpan.FromSeconds(5))).Held);
            await a.ReleaseAsync("oldest", default);
            Assert.True((await middle.WaitAsync(TimeSpan.FromSeconds(5))).Held);
        }
    }

    [Fact]
    public async Task AcquireAsync_SameTaskAgain_KeepsItsOneSlot()
    {
        var (a, b) = Hosts(capacity: 2);
        using (a)
        using (b)
        {
            Assert.True((await a.AcquireAsync("retried", NoWait, default)).Held);

            // A retried activity on another host finds the slot its task already holds.
            Assert.True((await b.AcquireAsync("retried", NoWait, default)).Held);
            Assert.True((await b.AcquireAsync("other", NoWait, default)).Held);
            Assert.False((await a.AcquireAsync("third", NoWait, default)).Held);
        }
    }

    [Fact]
    public async Task AcquireAsync_HoldPastItsTime_IsTakenOver()
    {
        var (a, b) = Hosts(capacity: 1, inferenceTimeoutSeconds: 1);
        using (a)
        using (b)
        {
            // Held for the inference timeout + 60 s; a job terminated from outside never gives it back.
            Assert.True((await a.AcquireAsync("abandoned", NoWait, default)).Held);
            Assert.False((await b.AcquireAsync("next", NoWait, default)).Held);

            var later = new FakeClock(DateTimeOffset.UtcNow.AddSeconds(62));
            using var c = Host(later, capacity: 1, inferenceTimeoutSeconds: 1, partition: partitionOf[a]);
            Assert.True((await c.AcquireAsync("next", NoWait, default)).Held);
        }
    }

    [Fact]
    public async Task EarlySlot_TakenWhileTheJobPrepares_ItsSubmissionFindsItHeld()
    {
        var (a, b) = Hosts(capacity: 1);
        using (a)
        using (b)
        {
            var early = EarlySlot.Take(a, "job-1", DateTimeOffset.UtcNow, NullLogger.Instance);
            await early.HandOverAsync([early.TaskUuid]);

            // The slot is the task's before its submission asks: the other host finds none, the submission finds its own.
            Assert.False(await b.TryTakeWhilePreparingAsync("other", null, default));
            Assert.True((await a.AcquireAsync(early.TaskUuid, NoWait, default)).Held);

            // Handed to the submission: giving back is now the submission's (at its result), not the preparation's.
            await early.GiveBackUnlessSubmittedAsync();
            Assert.Equal(1, a.HeldHere);
            Assert.False(await b.TryTakeWhilePreparingAsync("other", null, default));
        }
    }

    [Fact]
    public async Task EarlySlot_JobEndsBeforeSubmittingIt_GivesItBack()
    {
        var (a, b) = Hosts(capacity: 1);
        using (a)
        using (b)
        {
            // The job failed in preparation (or its first piece is another task): the slot taken early is nobody's.
            var early = EarlySlot.Take(a, "job-1", DateTimeOffset.UtcNow, NullLogger.Instance);
            await early.HandOverAsync(["a-task-of-another-piece"]);
            await early.GiveBackUnlessSubmittedAsync();

            Assert.Equal(0, a.HeldHere);
            Assert.True(await b.TryTakeWhilePreparingAsync("other", null, default));
        }
    }

    [Fact]
    public async Task EarlySlot_MoreJobsPreparingThanFreeSlots_NoneTakesOneEarly()
    {
        // A flood of admissions: a slot held by a job still preparing would stand idle while a job prepared sooner waits.
        var (a, b) = Hosts(capacity: 2);
        using (a)
        using (b)
        {
            var first = EarlySlot.Take(a, "job-1", DateTimeOffset.UtcNow, NullLogger.Instance);
            var second = EarlySlot.Take(a, "job-2", DateTimeOffset.UtcNow, NullLogger.Instance);
            var third = EarlySlot.Take(a, "job-3", DateTimeOffset.UtcNow, NullLogger.Instance);
            await Task.WhenAll(first.HandOverAsync([first.TaskUuid]), second.HandOverAsync([second.TaskUuid]), third.HandOverAsync([third.TaskUuid]));

            // Two free slots for three jobs preparing: the first two took one each, the third none.
            Assert.Equal(2, a.HeldHere);
            Assert.False((await a.AcquireAsync(third.TaskUuid, NoWait, default)).Held);

            // Once prepared they count no more: a lone job takes a slot early again.
            Assert.True(await a.ReleaseAsync(first.TaskUuid, default));
            var lone = EarlySlot.Take(a, "job-4", DateTimeOffset.UtcNow, NullLogger.Instance);
            await lone.HandOverAsync([lone.TaskUuid]);
            Assert.Equal(2, a.HeldHere);
            Assert.False(await b.TryTakeWhilePreparingAsync("other", null, default));
            b.DonePreparing();
        }
    }

    [Fact]
    public async Task TryTakeWhilePreparingAsync_EarlierJobsHoldTheirsWhilePreparing_TheNextTakesTheLastFreeOne()
    {
        // The head of a batch: jobs start preparing one after another. One that took its slot early and is still preparing
        // needs no free slot any more, so the next job may take the last one (it was counted twice: the second job found
        // one slot held and two jobs preparing against two slots, and asked for its slot only after its upload).
        var (a, b) = Hosts(capacity: 2);
        using (a)
        using (b)
        {
            Assert.True(await a.TryTakeWhilePreparingAsync("job-1", null, default));
            Assert.True(await a.TryTakeWhilePreparingAsync("job-2", null, default));
            Assert.Equal(2, a.HeldHere);

            // None left: a third takes none, and counts as preparing until it is done.
            Assert.False(await a.TryTakeWhilePreparingAsync("job-3", null, default));
            a.DonePreparing();

            // Through EarlySlot (which reports done only for a job that took none): the counts settle back, so with both
            // slots given back two jobs in turn take one each again, and a job ending before it submits gives its back.
            Assert.True(await a.ReleaseAsync("job-1", default));
            Assert.True(await a.ReleaseAsync("job-2", default));
            var first = EarlySlot.Take(a, "job-4", DateTimeOffset.UtcNow, NullLogger.Instance);
            await first.HandOverAsync([first.TaskUuid]);
            var second = EarlySlot.Take(a, "job-5", DateTimeOffset.UtcNow, NullLogger.Instance);
            await second.HandOverAsync(["a-task-of-another-piece"]);
            Assert.Equal(2, a.HeldHere);
            await second.GiveBackUnlessSubmittedAsync();
            Assert.Equal(1, a.HeldHere);
            Assert.True(await a.TryTakeWhilePreparingAsync("job-6", null, default));
        }
    }

    [Fact]
    public async Task TryTakeWhilePreparingAsync_SubmissionsWaitingInLine_NeverJumpsThem()
    {
        var (a, b) = Hosts(capacity: 1);
        using (a)
        using (b)
        {
            var second = await FirstHeldSecondWaitingAsync(a);

            // The slot given back elsewhere: the submission waiting here gets it, a job still preparing does not.
            Assert.True(await b.ReleaseAsync("first", default));
            Assert.False(await a.TryTakeWhilePreparingAsync("early", null, default));
            a.DonePreparing();
            Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(5))).Held);
        }
    }

    private readonly Dictionary<InferenceSlots, string> partitionOf = [];

    /// <param name="writesOfA">Host A's conditional row writes go through it (held back or failed by the test).</param>
    private (InferenceSlots A, InferenceSlots B) Hosts(int capacity, int inferenceTimeoutSeconds = 900, int line = 32, HeldWrites? writesOfA = null)
    {
        var partition = "work" + Guid.NewGuid().ToString("N")[..12];
        var a = Host(TimeProvider.System, capacity, inferenceTimeoutSeconds, partition, line, writesOfA);
        var b = Host(TimeProvider.System, capacity, inferenceTimeoutSeconds, partition, line);
        partitionOf[a] = partition;
        return (a, b);
    }

    private InferenceSlots Host(TimeProvider time, int capacity, int inferenceTimeoutSeconds, string partition, int line = 32, HeldWrites? writes = null) =>
        InferenceSlots.Create(
            writes is null ? new TableServiceClient(azurite.ConnectionString) : new TableServiceClient(azurite.ConnectionString, writes.Options()),
            new FluxOptions { MaxConcurrentInferences = capacity, InferenceTimeoutSeconds = inferenceTimeoutSeconds, WorkContainer = partition, SlotLineLength = line },
            time,
            NullLogger<InferenceSlots>.Instance);

    /// <summary>"first" takes the only slot of <paramref name="host"/>; "second" waits in its line (its claim, still pending).</summary>
    private static async Task<Task<SlotClaim>> FirstHeldSecondWaitingAsync(InferenceSlots host)
    {
        Assert.True((await host.AcquireAsync("first", NoWait, default)).Held);
        var second = host.AcquireAsync("second", TimeSpan.FromSeconds(20), default);
        await WaitUntilAsync(() => host.Waiting == 1);
        return second;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>Holds back the table's answers to conditional row writes (If-Match) while held, or fails them.</summary>
    private sealed class HeldWrites : HttpPipelinePolicy
    {
        private volatile TaskCompletionSource? gate;

        private volatile bool failing;

        public void Hold() => gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Conditional row writes throw from now on (storage unreachable), without reaching the table.</summary>
        public void Fail() => failing = true;

        public void Let() => gate?.TrySetResult();

        public TableClientOptions Options()
        {
            var options = new TableClientOptions();
            options.AddPolicy(this, HttpPipelinePosition.PerCall);
            return options;
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (failing && message.Request.Headers.Contains("If-Match"))
            {
                throw new InvalidOperationException("storage unreachable (test)");
            }

            await ProcessNextAsync(message, pipeline);
            if (gate is { } held && message.Request.Headers.Contains("If-Match"))
            {
                await held.Task;
            }
        }
    }

    private sealed class FakeClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
