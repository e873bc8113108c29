using System.Collections.Concurrent;
using DurableTask.Core;
using FluxFunctions.Runner.Durable;
using Microsoft.Extensions.Logging.Abstractions;

namespace FluxFunctions.Runner.Tests.Durable;

public sealed class ActivityFetchersTests
{
    [Fact]
    public async Task NextAsync_MessagesKeepComing_UpToMostFetchesAtOnce()
    {
        var queue = new FakeQueue(roundTrip: TimeSpan.FromMilliseconds(40));
        queue.Add(24);
        using var fetchers = queue.Fetchers(most: 4);

        var taken = await TakeAsync(fetchers, 24);

        Assert.Equal(24, taken.Distinct().Count());
        Assert.Equal(4, queue.MostAtOnce);
        await fetchers.StopAsync();
    }

    [Fact]
    public async Task NextAsync_OneFetcher_OneRequestAtATime()
    {
        // The control for the test above: the engine's own behaviour, one round trip after another.
        var queue = new FakeQueue(roundTrip: TimeSpan.FromMilliseconds(40));
        queue.Add(12);
        using var fetchers = queue.Fetchers(most: 1);

        await TakeAsync(fetchers, 12);

        Assert.Equal(1, queue.MostAtOnce);
        await fetchers.StopAsync();
    }

    [Fact]
    public async Task NextAsync_QueueEmptyAgain_OnlyTheFirstFetcherKeepsPolling()
    {
        var queue = new FakeQueue(roundTrip: TimeSpan.FromMilliseconds(20));
        queue.Add(16);
        using var fetchers = queue.Fetchers(most: 4, idle: TimeSpan.FromSeconds(1));
        await TakeAsync(fetchers, 16);
        Assert.True(fetchers.Running > 1, "a burst should have started more fetchers");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (fetchers.Running > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, fetchers.Running);

        // The one left still finds what comes next.
        queue.Add(1);
        var next = await fetchers.NextAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.NotNull(next);
        await fetchers.StopAsync();
    }

    [Fact]
    public async Task StopAsync_ItemsFoundButNotTaken_AreGivenBackNotLost()
    {
        var queue = new FakeQueue(roundTrip: TimeSpan.FromMilliseconds(10));
        queue.Add(20);
        using var fetchers = queue.Fetchers(most: 4);
        var taken = await TakeAsync(fetchers, 3);

        // The dispatcher takes no more (all its slots busy): the fetchers hold what they found, locked, and stop there.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (queue.Locked.Count < taken.Count + 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200);
        Assert.InRange(queue.Locked.Count - taken.Count, 1, 1 + fetchers.Most);
        await fetchers.StopAsync();

        Assert.Equal(queue.Locked.Except(taken).OrderBy(id => id), queue.Abandoned.OrderBy(id => id));
    }

    private static async Task<List<string>> TakeAsync(ActivityFetchers fetchers, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var taken = new List<string>();
        for (var i = 0; i < count; i++)
        {
            taken.Add((await fetchers.NextAsync(timeout.Token)).Id);
        }

        return taken;
    }

    /// <summary>A work-item queue reached over a round trip: each fetch waits the round trip, then takes a message or polls again.</summary>
    private sealed class FakeQueue(TimeSpan roundTrip)
    {
        private readonly ConcurrentQueue<string> messages = new();
        private int inFlight;
        private int mostAtOnce;
        private int next;

        public ConcurrentBag<string> Locked { get; } = [];

        public ConcurrentBag<string> Abandoned { get; } = [];

        public int MostAtOnce => Volatile.Read(ref mostAtOnce);

        public void Add(int count)
        {
            for (var i = 0; i < count; i++)
            {
                messages.Enqueue($"m{Interlocked.Increment(ref next)}");
            }
        }

        public ActivityFetchers Fetchers(int most, TimeSpan? idle = null) => new(
            FetchAsync,
            item => Locked.Add(item.Id),
            item =>
            {
                Abandoned.Add(item.Id);
                return Task.CompletedTask;
            },
            most,
            idle ?? TimeSpan.FromSeconds(1),
            NullLogger.Instance);

        private async Task<TaskActivityWorkItem?> FetchAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var now = Interlocked.Increment(ref inFlight);
                int seen;
                while ((seen = Volatile.Read(ref mostAtOnce)) < now && Interlocked.CompareExchange(ref mostAtOnce, now, seen) != seen)
                {
                }

                try
                {
                    await Task.Delay(roundTrip, cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }

                if (messages.TryDequeue(out var id))
                {
                    return new TaskActivityWorkItem { Id = id };
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }
}
