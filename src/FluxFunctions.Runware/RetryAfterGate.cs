using System.Collections.Concurrent;

namespace FluxFunctions.Runware;

/// <summary>
/// Remembers, per taskUUID, until when Runware asked this host to wait (a 429 or 503 with <c>Retry-After</c>), and holds
/// back every request for that task until then — whoever sends it: the client's own retry, the in-process watcher or a
/// durable poll. Polly's retry honours the header for the call that got it; without this gate another caller polling the
/// same task would not. One per host.
/// </summary>
public sealed class RetryAfterGate(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> notBefore = new(StringComparer.Ordinal);

    /// <summary>Records that Runware asked to wait <paramref name="retryAfter"/> before sending <paramref name="taskUuid"/> again.</summary>
    public void Hold(string taskUuid, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(taskUuid);
        var until = time.GetUtcNow() + retryAfter;
        notBefore.AddOrUpdate(taskUuid, until, (_, current) => current > until ? current : until);
    }

    /// <summary>Waits until <paramref name="taskUuid"/> may be sent again (at once when nothing holds it).</summary>
    public async Task WaitAsync(string taskUuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskUuid);
        if (!notBefore.TryGetValue(taskUuid, out var until))
        {
            return;
        }

        var wait = until - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        // Past its time: forget it (unless a newer hold replaced it meanwhile), so the map stays small.
        notBefore.TryRemove(new KeyValuePair<string, DateTimeOffset>(taskUuid, until));
    }
}
