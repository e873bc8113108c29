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

    private static InferenceSlots Slots(int capacity) =>
        new(Options.Create(new FluxOptions { MaxConcurrentInferences = capacity }));
}
