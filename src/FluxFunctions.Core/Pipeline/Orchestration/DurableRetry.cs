using Microsoft.DurableTask;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The durable retry policy of the pipeline's activities: transient failures (thrown exceptions) are retried with
/// exponential back-off up to a bounded number of attempts, and every attempt is counted so the manifest or failure
/// record can say how many it took. Permanent problems are never thrown by activities, so never retried. Each job's
/// back-off is spread by a jitter of its own (from its id, so replays agree): jobs that failed together (Runware down
/// for a moment) do not all come back at the same instant and knock it over again.
/// </summary>
public sealed class DurableRetry
{
    private readonly int maxAttempts;
    private readonly TimeSpan first;
    private readonly TimeSpan max;
    private readonly string jitterSeed;
    private readonly Dictionary<string, int> attempts = new(StringComparer.Ordinal);

    /// <param name="maxAttempts">Attempts in all (at least 1).</param>
    /// <param name="jitterSeed">What the jitter is derived from (the job id): the same seed gives the same delays.</param>
    /// <param name="first">The first delay (default 2 s), doubled each time.</param>
    /// <param name="max">The longest delay (default 60 s).</param>
    public DurableRetry(int maxAttempts, string jitterSeed = "", TimeSpan? first = null, TimeSpan? max = null)
    {
        this.maxAttempts = Math.Max(1, maxAttempts);
        this.jitterSeed = jitterSeed;
        this.first = first ?? TimeSpan.FromSeconds(2);
        this.max = max ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>Attempts per stage so far (1 when the first attempt succeeded).</summary>
    public IReadOnlyDictionary<string, int> Attempts => attempts;

    /// <summary>Task options for an activity call in <paramref name="stage"/>.</summary>
    public TaskOptions For(string stage)
    {
        attempts[stage] = attempts.GetValueOrDefault(stage) + 1;
        return Options(stage);
    }

    /// <summary>Task options for an activity call outside the job's stages (a cancel's claim): the same policy, no attempts counted.</summary>
    public TaskOptions Uncounted() => Options(null);

    private TaskOptions Options(string? stage) =>
        TaskOptions.FromRetryHandler(async context =>
        {
            if (stage is not null)
            {
                attempts[stage] = attempts.GetValueOrDefault(stage) + 1;
            }

            if (context.LastAttemptNumber >= maxAttempts)
            {
                return false;
            }

            await context.OrchestrationContext.CreateTimer(Delay(context.LastAttemptNumber), context.CancellationToken).ConfigureAwait(true);
            return true;
        });

    /// <summary>Whether an activity that failed on attempt <paramref name="lastAttempt"/> (1-based) may be tried again.</summary>
    public bool MayRetry(int lastAttempt) => lastAttempt < maxAttempts;

    /// <summary>
    /// The back-off before the attempt after <paramref name="lastAttempt"/> (1-based): doubling from the first delay,
    /// capped, then spread between half and one and a half times that by the job's jitter.
    /// </summary>
    public TimeSpan Delay(int lastAttempt)
    {
        var plain = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, lastAttempt - 1));
        return TimeSpan.FromMilliseconds(plain * (0.5 + Jitter(lastAttempt)));
    }

    /// <summary>A number in [0, 1) fixed by the seed and the attempt (deterministic, as an orchestration must be).</summary>
    private double Jitter(int attempt)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{jitterSeed}/{attempt}"));
        return BitConverter.ToUInt32(hash, 0) / (uint.MaxValue + 1.0);
    }

    /// <summary>Counts an attempt of <paramref name="stage"/>'s work made by another activity (the first submission, made while preparing).</summary>
    public void Count(string stage) => attempts[stage] = attempts.GetValueOrDefault(stage) + 1;

    /// <summary>Attempts made in <paramref name="stage"/>.</summary>
    public int AttemptsOf(string stage) => attempts.GetValueOrDefault(stage);
}
