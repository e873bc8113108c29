using Microsoft.DurableTask;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The durable retry policy of the pipeline's activities: transient failures (thrown exceptions) are retried with
/// exponential back-off up to a bounded number of attempts, and every attempt is counted so the manifest or failure
/// record can say how many it took. Permanent problems are never thrown by activities, so never retried.
/// </summary>
public sealed class DurableRetry
{
    private readonly int maxAttempts;
    private readonly TimeSpan first;
    private readonly TimeSpan max;
    private readonly Dictionary<string, int> attempts = new(StringComparer.Ordinal);

    public DurableRetry(int maxAttempts, TimeSpan? first = null, TimeSpan? max = null)
    {
        this.maxAttempts = Math.Max(1, maxAttempts);
        this.first = first ?? TimeSpan.FromSeconds(2);
        this.max = max ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>Attempts per stage so far (1 when the first attempt succeeded).</summary>
    public IReadOnlyDictionary<string, int> Attempts => attempts;

    /// <summary>Task options for an activity call in <paramref name="stage"/>.</summary>
    public TaskOptions For(string stage)
    {
        attempts[stage] = attempts.GetValueOrDefault(stage) + 1;
        return TaskOptions.FromRetryHandler(async context =>
        {
            attempts[stage] = attempts.GetValueOrDefault(stage) + 1;
            if (context.LastAttemptNumber >= maxAttempts)
            {
                return false;
            }

            await context.OrchestrationContext.CreateTimer(Delay(context.LastAttemptNumber), context.CancellationToken).ConfigureAwait(true);
            return true;
        });
    }

    /// <summary>Whether an activity that failed on attempt <paramref name="lastAttempt"/> (1-based) may be tried again.</summary>
    public bool MayRetry(int lastAttempt) => lastAttempt < maxAttempts;

    /// <summary>The back-off before the attempt after <paramref name="lastAttempt"/> (1-based): doubling from the first delay, capped.</summary>
    public TimeSpan Delay(int lastAttempt) =>
        TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, lastAttempt - 1)));

    /// <summary>Counts an attempt of <paramref name="stage"/>'s work made by another activity (the first submission, made while preparing).</summary>
    public void Count(string stage) => attempts[stage] = attempts.GetValueOrDefault(stage) + 1;

    /// <summary>Attempts made in <paramref name="stage"/>.</summary>
    public int AttemptsOf(string stage) => attempts.GetValueOrDefault(stage);
}
