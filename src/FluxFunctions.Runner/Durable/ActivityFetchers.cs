using System.Threading.Channels;
using DurableTask.Core;

namespace FluxFunctions.Runner.Durable;

/// <summary>
/// Takes activity work items from the work-item queue with more than one request at a time while messages keep coming.
/// The sidecar's activity dispatcher fetches one message at a time, each a round trip to the queue; when a flood of jobs
/// keeps the storage service busy, that round trip takes 40–300 ms (Azurite, traced), so the first activities of a batch
/// reach the runner one after another over most of a second while the slots they are to fill stand empty. Here one
/// fetcher always runs; each message found starts another, up to <see cref="Most"/>, and a fetcher other than the first
/// stops once it has found nothing for <c>idle</c>. Items found ahead of the dispatcher wait in a line of one, locked
/// (<c>locked</c> is told of each item as soon as it is locked, so its lock is renewed from then on).
/// </summary>
/// <remarks>
/// An idle fetcher is stopped by cancelling its fetch. If the cancel lands while its request is in flight and that request
/// had just taken a message, the message stays invisible for the work-item visibility timeout and then comes back, as
/// after a crash: late, never lost.
/// </remarks>
public sealed partial class ActivityFetchers(
    Func<CancellationToken, Task<TaskActivityWorkItem?>> fetch,
    Action<TaskActivityWorkItem> locked,
    Func<TaskActivityWorkItem, Task> abandon,
    int most,
    TimeSpan idle,
    ILogger logger) : IDisposable
{
    private readonly Channel<TaskActivityWorkItem> ready = Channel.CreateBounded<TaskActivityWorkItem>(new BoundedChannelOptions(1) { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly List<Task> loops = [];
    private int running;
    private bool firstRunning;
    private bool disposed;

    /// <summary>Most fetchers at once.</summary>
    public int Most { get; } = Math.Max(1, most);

    /// <summary>Fetchers running now (for tests and logs).</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>The next locked work item; waits until one is found or <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<TaskActivityWorkItem> NextAsync(CancellationToken cancellationToken)
    {
        StartFirst();
        return await ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops every fetcher; the items found but not yet taken are abandoned (their messages visible again).</summary>
    public async Task StopAsync()
    {
        if (Volatile.Read(ref disposed))
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        ready.Writer.TryComplete();
        Task[] all;
        lock (gate)
        {
            all = [.. loops];
        }

        await Task.WhenAll(all).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (ready.Reader.TryRead(out var item))
        {
            await AbandonAsync(item).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (!Volatile.Read(ref disposed))
        {
            Volatile.Write(ref disposed, true);
            stopping.Cancel();
            stopping.Dispose();
        }
    }

    private void StartFirst()
    {
        lock (gate)
        {
            if (firstRunning || stopping.IsCancellationRequested)
            {
                return;
            }

            firstRunning = true;
            running++;
            Track(Task.Run(() => FetchLoopAsync(first: true)));
        }
    }

    private void StartAnother()
    {
        lock (gate)
        {
            if (running >= Most || stopping.IsCancellationRequested)
            {
                return;
            }

            running++;
            Track(Task.Run(() => FetchLoopAsync(first: false)));
        }
    }

    /// <summary>Keeps the running loops (under the gate) for <see cref="StopAsync"/> to wait for.</summary>
    private void Track(Task loop)
    {
        loops.RemoveAll(t => t.IsCompleted);
        loops.Add(loop);
    }

    private async Task FetchLoopAsync(bool first)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                TaskActivityWorkItem? item;
                using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token))
                {
                    if (!first)
                    {
                        attempt.CancelAfter(idle);
                    }

                    try
                    {
                        item = await fetch(attempt.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (attempt.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex)
                    {
                        LogFetchFailed(logger, ex.GetType().Name, ex.Message);
                        if (!first)
                        {
                            return;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1), stopping.Token).ConfigureAwait(false);
                        continue;
                    }
                }

                if (item is null)
                {
                    // The service returns none only when it is stopping (or this fetcher's idle time ran out).
                    if (!first)
                    {
                        return;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1), stopping.Token).ConfigureAwait(false);
                    continue;
                }

                locked(item);
                StartAnother();
                try
                {
                    await ready.Writer.WriteAsync(item, stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
                {
                    await AbandonAsync(item).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            lock (gate)
            {
                running--;
                if (first)
                {
                    firstRunning = false;
                }
            }
        }
    }

    private async Task AbandonAsync(TaskActivityWorkItem item)
    {
        try
        {
            await abandon(item).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Its message comes back once the visibility timeout runs out.
            LogAbandonFailed(logger, item.Id, ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Could not give back activity work item {WorkItem} on stopping ({Type}: {Message})")]
    private static partial void LogAbandonFailed(ILogger logger, string workItem, string type, string message);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Could not fetch an activity work item ({Type}: {Message})")]
    private static partial void LogFetchFailed(ILogger logger, string type, string message);
}
