using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Tests.Pipeline;

public sealed class InferenceSlotsTests
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TryAcquire_SlotFreedWhileWaiting_GoesToTheWaiter()
    {
        using var slots = Slots(capacity: 1);
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero));

        var waiter = slots.TryAcquireAsync("b", LongWait);
        Assert.False(waiter.IsCompleted);
        slots.Release("a");

        Assert.True(await waiter.WaitAsync(LongWait));
        Assert.Equal(1, slots.InFlight);
    }

    [Fact]
    public async Task TryAcquire_AsManyWaitingAsSlots_NextOneIsTurnedAwayAtOnce()
    {
        using var slots = Slots(capacity: 2);
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero));
        Assert.True(await slots.TryAcquireAsync("b", TimeSpan.Zero));
        using var stop = new CancellationTokenSource();
        var first = slots.TryAcquireAsync("c", LongWait, stop.Token);
        var second = slots.TryAcquireAsync("d", LongWait, stop.Token);
        Assert.Equal(2, slots.Waiting);

        // The line is full: no waiting, so the activity worker is free for the polls that give slots back.
        var third = slots.TryAcquireAsync("e", LongWait, stop.Token);
        Assert.True(third.IsCompleted);
        Assert.False(await third);

        slots.Release("a");
        Assert.True(await Task.WhenAny(first, second).WaitAsync(LongWait).Unwrap());
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Task.WhenAll(first, second));
        Assert.Equal(0, slots.Waiting);
    }

    [Fact]
    public async Task TryAcquire_SameTaskTwice_TakesOneSlot()
    {
        using var slots = Slots(capacity: 2);
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero));
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero));
        Assert.Equal(1, slots.InFlight);
        Assert.True(await slots.TryAcquireAsync("b", TimeSpan.Zero));
    }

    [Fact]
    public async Task NoEventsOnThisHost_NothingIsQueued()
    {
        using var slots = Slots(capacity: 1);
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero));
        Assert.False(await slots.TryAcquireAsync("b", TimeSpan.Zero));

        Assert.False(slots.QueuesSubmissions);
        Assert.Equal(1, slots.LineLength);
        Assert.Throws<InvalidOperationException>(() => slots.AcquireOrQueue(new QueuedSubmission("job-b", "b", _ => Task.FromResult(Accepted))));
        Assert.Equal(0, slots.Queued);
    }

    [Fact]
    public async Task AcquireOrQueue_EverySlotTaken_QueuedInOrderAndSubmittedOnTheJobsBehalfWhenASlotIsFree()
    {
        var events = new RecordingEvents();
        using var slots = Slots(capacity: 1, events);
        var submitted = new List<string>();
        QueuedSubmission Submission(string task) => new($"job-{task}", task, _ =>
        {
            lock (submitted)
            {
                submitted.Add(task);
            }

            return Task.FromResult(Accepted);
        });

        Assert.Equal(new SlotClaim(true, 0, null), slots.AcquireOrQueue(Submission("a")));
        Assert.Equal(new SlotClaim(false, 0, null), slots.AcquireOrQueue(Submission("b")));
        Assert.Equal(new SlotClaim(false, 1, null), slots.AcquireOrQueue(Submission("c")));
        Assert.Equal(2, slots.Queued);
        Assert.Empty(submitted);

        // a's result is in: its slot goes to b at once, submitted by the host, and b's job gets the outcome.
        slots.Release("a");
        var raised = await events.NextAsync();
        Assert.Equal(("job-b", InferenceSlots.EventName("b")), (raised.JobId, raised.Name));
        Assert.Equal(Accepted, raised.Payload);
        Assert.Equal(["b"], submitted);
        Assert.Equal(1, slots.InFlight);
        Assert.Equal(1, slots.Queued);

        // b is held now: its job's own activity (a fallback timer that came first) submits nothing again.
        Assert.Equal(new SlotClaim(true, 0, null), slots.AcquireOrQueue(Submission("b")));
        slots.Release("b");
        Assert.Equal(("job-c", InferenceSlots.EventName("c")), ((await events.NextAsync()).JobId, InferenceSlots.EventName("c")));
        Assert.Equal(["b", "c"], submitted);
    }

    [Fact]
    public async Task AcquireOrQueue_AlreadyQueued_KeepsItsPlaceAndTheLatestSubmission()
    {
        var events = new RecordingEvents();
        using var slots = Slots(capacity: 1, events);
        var used = new TaskCompletionSource<string>();
        Assert.True(slots.AcquireOrQueue(new QueuedSubmission("job-a", "a", _ => Task.FromResult(Accepted))).Held);
        Assert.Equal(0, slots.AcquireOrQueue(new QueuedSubmission("job-b", "b", _ => { used.TrySetResult("first"); return Task.FromResult(Accepted); })).Ahead);
        Assert.Equal(1, slots.AcquireOrQueue(new QueuedSubmission("job-c", "c", _ => Task.FromResult(Accepted))).Ahead);

        // b's job comes back (its fallback timer): still first in the queue, and its new submission is the one made.
        Assert.Equal(0, slots.AcquireOrQueue(new QueuedSubmission("job-b", "b", _ => { used.TrySetResult("second"); return Task.FromResult(Accepted); })).Ahead);
        slots.Release("a");

        Assert.Equal("job-b", (await events.NextAsync()).JobId);
        Assert.Equal("second", await used.Task.WaitAsync(LongWait));
    }

    [Fact]
    public async Task AcquireOrQueue_WhileTheHostSubmitsIt_ReturnsThatSubmission()
    {
        var events = new RecordingEvents();
        using var slots = Slots(capacity: 1, events);
        var gate = new TaskCompletionSource<SubmitInferenceResult>();
        Assert.True(slots.AcquireOrQueue(new QueuedSubmission("job-a", "a", _ => Task.FromResult(Accepted))).Held);
        Assert.False(slots.AcquireOrQueue(new QueuedSubmission("job-b", "b", _ => gate.Task)).Held);
        slots.Release("a");
        await WaitUntilAsync(() => slots.HandingOff == 1);

        var claim = slots.AcquireOrQueue(new QueuedSubmission("job-b", "b", _ => throw new InvalidOperationException("must not submit twice")));
        Assert.NotNull(claim.HandOff);
        Assert.False(claim.HandOff.IsCompleted);
        gate.SetResult(Accepted);

        Assert.Equal(Accepted, await claim.HandOff.WaitAsync(LongWait));
        Assert.Equal(Accepted, (await events.NextAsync()).Payload);
    }

    [Fact]
    public async Task HandOff_SubmissionFails_JobIsToldToSubmitItselfAndTheSlotGoesToTheNext()
    {
        var events = new RecordingEvents();
        using var slots = Slots(capacity: 1, events);
        Assert.True(slots.AcquireOrQueue(new QueuedSubmission("job-a", "a", _ => Task.FromResult(Accepted))).Held);
        Assert.False(slots.AcquireOrQueue(new QueuedSubmission("job-b", "b", _ => Task.FromException<SubmitInferenceResult>(new HttpRequestException("503")))).Held);
        Assert.False(slots.AcquireOrQueue(new QueuedSubmission("job-c", "c", _ => Task.FromResult(Accepted))).Held);

        slots.Release("a");

        var received = new[] { await events.NextAsync(), await events.NextAsync() }.OrderBy(r => r.JobId, StringComparer.Ordinal).ToArray();
        Assert.Equal(("job-b", (object?)null), (received[0].JobId, received[0].Payload));
        Assert.Equal(("job-c", (object?)Accepted), (received[1].JobId, received[1].Payload));
        Assert.Equal(1, slots.InFlight);
    }

    [Fact]
    public async Task Release_QueuedTask_LeavesTheQueueAndIsNeverSubmitted()
    {
        var events = new RecordingEvents();
        using var slots = Slots(capacity: 1, events);
        Assert.True(slots.AcquireOrQueue(new QueuedSubmission("job-a", "a", _ => Task.FromResult(Accepted))).Held);
        Assert.False(slots.AcquireOrQueue(new QueuedSubmission("job-d", "d", _ => throw new InvalidOperationException("canceled job submitted"))).Held);
        Assert.False(slots.AcquireOrQueue(new QueuedSubmission("job-e", "e", _ => Task.FromResult(Accepted))).Held);

        // d's job was canceled: its place goes, and the freed slot goes to e.
        slots.Release("d");
        Assert.Equal(1, slots.Queued);
        slots.Release("a");
        Assert.Equal("job-e", (await events.NextAsync()).JobId);
        Assert.DoesNotContain(events.Raised, r => r.JobId == "job-d");
    }

    [Theory]
    [InlineData(0, 2000, 2000)]
    [InlineData(7, 2000, 2000)]
    [InlineData(8, 2000, 4000)]
    [InlineData(100, 2000, 26000)]
    [InlineData(100, 0, 0)]
    public void EstimatedWaitMs_RoundsOfTheSlotsAheadTimesTheInferenceTime(int ahead, int inferenceMs, int expected)
    {
        using var slots = Slots(capacity: 8, new RecordingEvents());
        Assert.Equal(expected, slots.EstimatedWaitMs(ahead, inferenceMs));
    }

    private static readonly SubmitInferenceResult Accepted = new(SubmitStatus.Accepted, 2000, null, Watched: true);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(LongWait);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static InferenceSlots Slots(int capacity, IOrchestrationEvents? events = null) =>
        new(Options.Create(new FluxOptions { MaxConcurrentInferences = capacity }), events: events);

    /// <summary>Records the events raised, in order.</summary>
    private sealed class RecordingEvents : IOrchestrationEvents
    {
        private readonly System.Threading.Channels.Channel<(string JobId, string Name, object? Payload)> channel = System.Threading.Channels.Channel.CreateUnbounded<(string, string, object?)>();
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string JobId, string Name, object? Payload)> raised = new();

        public IReadOnlyCollection<(string JobId, string Name, object? Payload)> Raised => raised;

        public Task RaiseAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
        {
            raised.Enqueue((instanceId, eventName, payload));
            channel.Writer.TryWrite((instanceId, eventName, payload));
            return Task.CompletedTask;
        }

        public async Task<(string JobId, string Name, object? Payload)> NextAsync() => await channel.Reader.ReadAsync().AsTask().WaitAsync(LongWait);
    }
}
