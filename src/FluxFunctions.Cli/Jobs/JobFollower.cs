using FluxFunctions.Cli.Api;

namespace FluxFunctions.Cli.Jobs;

/// <summary>
/// Reads a job's status until it has ended, reporting every answer. A runner restarting or a proxy hiccup (no answer,
/// 502/503/504) is retried with back-off up to <see cref="MaxTransientFailures"/> times in a row; anything else ends the wait.
/// </summary>
internal sealed class JobFollower(FluxApiClient api, TimeSpan interval)
{
    /// <summary>Consecutive transient failures tolerated before giving up.</summary>
    public const int MaxTransientFailures = 8;

    public async Task<JobSnapshot> FollowAsync(string id, Action<JobSnapshot> onUpdate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        var failures = 0;
        while (true)
        {
            JobSnapshot snapshot;
            try
            {
                snapshot = await api.GetAsync(id, cancellationToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (FluxApiException ex) when (ex.IsTransient && failures < MaxTransientFailures)
            {
                failures++;
                var backoff = TimeSpan.FromMilliseconds(Math.Min(5000, interval.TotalMilliseconds * Math.Pow(2, failures)));
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                continue;
            }

            onUpdate(snapshot);
            if (snapshot.Status.IsFinal)
            {
                return snapshot;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
