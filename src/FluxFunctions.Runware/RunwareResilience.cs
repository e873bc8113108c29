using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace FluxFunctions.Runware;

/// <summary>
/// The Runware client's Polly pipelines, built once at start-up and resolved by key. API calls, from the outside in:
/// total timeout → retry (exponential back-off with jitter, Retry-After honoured) → circuit breaker → concurrency
/// limiter → per-attempt timeout. Downloads: total timeout → retry → per-attempt timeout. Only
/// <see cref="RunwareTransientException"/>s, attempt timeouts and a full queue are retried; a
/// <see cref="RunwareRejectedException"/> never is.
/// </summary>
public static class RunwareResilience
{
    /// <summary>Key of the pipeline for Runware API calls (upload, inference, getResponse, preprocess).</summary>
    public const string ApiPipelineKey = "FluxFunctions.Runware";

    /// <summary>Key of the pipeline for downloads of result images.</summary>
    public const string DownloadPipelineKey = "FluxFunctions.Runware.Download";

    internal static readonly ResiliencePropertyKey<string> TaskTypeKey = new("runware.taskType");
    internal static readonly ResiliencePropertyKey<string> TaskUuidKey = new("runware.taskUUID");

    internal static void ConfigureApi(ResiliencePipelineBuilder builder, RunwareOptions options, ILogger logger)
    {
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "RunwareTotalTimeout", Timeout = TimeSpan.FromSeconds(options.TotalTimeoutSeconds) });
        AddRetry(builder, options, logger);
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            Name = "RunwareCircuitBreaker",
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(options.BreakerSamplingSeconds),
            BreakDuration = TimeSpan.FromSeconds(options.BreakerBreakSeconds),
            // Down or unreachable opens it; rate limiting does not: a 429 says Runware is there and asks us to slow down,
            // which the Retry-After gate and the retries already do. Counted as failures, 429s kept it flapping under
            // the chaos run's 20 % 429s (opened 44 times, 26 of 100 jobs ran out of attempts as runwareUnavailable).
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is RunwareTransientException { StatusCode: not 429 } or TimeoutRejectedException),
            OnOpened = args =>
            {
                logger.RunwareCircuitOpened(args.BreakDuration.TotalSeconds, CodeOf(args.Outcome.Exception));
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                logger.RunwareCircuitHalfOpened();
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                logger.RunwareCircuitClosed();
                return ValueTask.CompletedTask;
            },
        });
        builder.AddConcurrencyLimiter(options.MaxConcurrentRequests, options.MaxQueuedRequests);
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "RunwareAttemptTimeout", Timeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds) });
    }

    internal static void ConfigureDownload(ResiliencePipelineBuilder builder, RunwareOptions options, ILogger logger)
    {
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "RunwareDownloadTotalTimeout", Timeout = TimeSpan.FromSeconds(options.TotalTimeoutSeconds) });
        AddRetry(builder, options, logger);
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "RunwareDownloadAttemptTimeout", Timeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds) });
    }

    private static void AddRetry(ResiliencePipelineBuilder builder, RunwareOptions options, ILogger logger)
    {
        if (options.MaxRetries == 0)
        {
            return;
        }

        var budget = TimeSpan.FromSeconds(options.TotalTimeoutSeconds);
        builder.AddRetry(new RetryStrategyOptions
        {
            Name = "RunwareRetry",
            MaxRetryAttempts = options.MaxRetries,
            Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMs),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
            {
                // A wait longer than the whole budget is not ours to sit out: hand it to the caller (durable retry).
                RunwareTransientException { RetryAfter: { } wait } when wait >= budget => false,
                RunwareTransientException => true,
                TimeoutRejectedException => true,
                RateLimiterRejectedException => true,
                _ => false,
            }),
            DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Exception switch
            {
                RunwareTransientException { RetryAfter: { } wait } => wait,
                RateLimiterRejectedException { RetryAfter: { } wait } => wait,
                _ => (TimeSpan?)null,
            }),
            OnRetry = args =>
            {
                var ex = args.Outcome.Exception;
                logger.RunwareRetrying(
                    args.Context.Properties.GetValue(TaskTypeKey, "unknown"),
                    args.Context.Properties.GetValue(TaskUuidKey, "-"),
                    args.AttemptNumber + 1,
                    (ex as RunwareTransientException)?.StatusCode,
                    CodeOf(ex),
                    (long)args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        });
    }

    private static string CodeOf(Exception? ex) => ex switch
    {
        RunwareTransientException t => t.Code,
        TimeoutRejectedException => RunwareErrorCodes.Timeout,
        RateLimiterRejectedException => RunwareErrorCodes.TooManyQueued,
        null => "none",
        _ => ex.GetType().Name,
    };
}
