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
    public async Task TryAcquire_NoEventsOnThisHost_TurnsAwayWithoutQueueing()
    {
        using var slots = Slots(capacity: 1);
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero, "job-a"));
        Assert.False(await slots.TryAcquireAsync("b", TimeSpan.Zero, "job-b"));

        Assert.False(slots.Signals);
        Assert.Equal(0, slots.Queued);
        Assert.Equal(1, slots.LineLength);
    }

    [Fact]
    public async Task TryAcquire_TurnedAway_IsQueuedAndSignalledWhenTheLineHasRoom()
    {
        var events = new RecordingEvents();
        using var slots = Slots(capacity: 1, events);
        Assert.Equal(2, slots.LineLength);
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero, "job-a"));
        using var stop = new CancellationTokenSource();
        var b = slots.TryAcquireAsync("b", LongWait, "job-b", stop.Token);
        var c = slots.TryAcquireAsync("c", LongWait, "job-c", stop.Token);

        // Slot held and the line full: d and e are queued in their order, nobody is told anything yet.
        Assert.False(await slots.TryAcquireAsync("d", TimeSpan.Zero, "job-d"));
        Assert.False(await slots.TryAcquireAsync("e", TimeSpan.Zero, "job-e"));
        Assert.Equal(2, slots.Queued);
        Assert.Empty(events.Raised);

        // a's slot goes to the line at once; the line has room for one more, so the first queued job is told to come.
        slots.Release("a");
        Assert.True(await Task.WhenAny(b, c).WaitAsync(LongWait).Unwrap());
        var raised = await events.NextAsync();
        Assert.Equal(("job-d", InferenceSlots.EventName("d")), raised);
        Assert.Equal(1, slots.Queued);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Task.WhenAll(b, c));
    }

    [Fact]
    public async Task TryAcquire_SignalledJobFindsTheLineFull_KeepsItsPlaceAtTheFront()
    {
        var events = new RecordingEvents();
        using var slots = Slots(capacity: 1, events);
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero, "job-a"));
        Assert.False(await slots.TryAcquireAsync("d", TimeSpan.Zero, "job-d"));

        // The line is empty, so d is told to come at once; before it does, two newcomers fill the line.
        Assert.Equal(("job-d", InferenceSlots.EventName("d")), await events.NextAsync());
        using var stop = new CancellationTokenSource();
        var x = slots.TryAcquireAsync("x", LongWait, "job-x", stop.Token);
        var y = slots.TryAcquireAsync("y", LongWait, "job-y", stop.Token);
        Assert.False(await slots.TryAcquireAsync("e", TimeSpan.Zero, "job-e"));

        // d comes back to a full line: turned away again, but ahead of e, which queued after it was told.
        Assert.False(await slots.TryAcquireAsync("d", TimeSpan.Zero, "job-d"));
        slots.Release("a");
        Assert.True(await Task.WhenAny(x, y).WaitAsync(LongWait).Unwrap());
        Assert.Equal(("job-d", InferenceSlots.EventName("d")), await events.NextAsync());

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Task.WhenAll(x, y));
    }

    [Fact]
    public async Task Release_QueuedTask_LeavesTheQueueAndIsNeverSignalled()
    {
        var events = new RecordingEvents();
        using var slots = Slots(capacity: 1, events);
        Assert.True(await slots.TryAcquireAsync("a", TimeSpan.Zero, "job-a"));
        using var stop = new CancellationTokenSource();
        var b = slots.TryAcquireAsync("b", LongWait, "job-b", stop.Token);
        var c = slots.TryAcquireAsync("c", LongWait, "job-c", stop.Token);
        Assert.False(await slots.TryAcquireAsync("d", TimeSpan.Zero, "job-d"));
        Assert.False(await slots.TryAcquireAsync("e", TimeSpan.Zero, "job-e"));

        // d's job was canceled: its place goes, and the room a freed slot makes goes to e.
        slots.Release("d");
        Assert.Equal(1, slots.Queued);
        slots.Release("a");
        Assert.Equal(("job-e", InferenceSlots.EventName("e")), await events.NextAsync());
        Assert.DoesNotContain(events.Raised, r => r.JobId == "job-d");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Task.WhenAll(b, c));
    }

    private static InferenceSlots Slots(int capacity, IOrchestrationEvents? events = null) =>
        new(Options.Create(new FluxOptions { MaxConcurrentInferences = capacity }), events: events);

    /// <summary>Records the events raised, in order.</summary>
    private sealed class RecordingEvents : IOrchestrationEvents
    {
        private readonly System.Threading.Channels.Channel<(string JobId, string Name)> channel = System.Threading.Channels.Channel.CreateUnbounded<(string, string)>();
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string JobId, string Name)> raised = new();

        public IReadOnlyCollection<(string JobId, string Name)> Raised => raised;

        public Task RaiseAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
        {
            raised.Enqueue((instanceId, eventName));
            channel.Writer.TryWrite((instanceId, eventName));
            return Task.CompletedTask;
        }

        public async Task<(string JobId, string Name)> NextAsync() => await channel.Reader.ReadAsync().AsTask().WaitAsync(LongWait);
    }
}
