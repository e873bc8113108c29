using System.Collections.Concurrent;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Telemetry;
using FluxFunctions.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Polls <c>getResponse</c> for the inferences this host submitted, in process, and hands each result to its job as soon
/// as Runware has it: the inference slot is given back at once and the result is raised on the orchestration as the
/// same event Runware's webhook raises (<see cref="RunwareWebhookEvent"/>, marked <see cref="Via"/>). Without it every
/// poll is a durable timer plus an activity, two round trips through the task hub that under load took seconds while the
/// slot stayed held by a finished inference.
/// <para>Nothing depends on it for correctness: it is not durable, so after a restart (or when an event cannot be raised)
/// the orchestration's fallback poll, <c>Runware__WebhookFallbackSeconds</c> later, takes over. Only with an
/// <see cref="IOrchestrationEvents"/> (the self-hosted runner) and <c>Flux__WatchPollIntervalMs</c> above 0; never for
/// tasks that report by webhook.</para>
/// </summary>
public sealed partial class InferenceWatcher : IDisposable
{
    /// <summary>How the manifest names results delivered by the watcher (<c>runware.resultDelivery</c>).</summary>
    public const string Via = "watch";

    /// <summary>The trace span of one watched inference.</summary>
    public const string SpanName = "WatchInference";

    /// <summary>The longest wait between two polls of a task still processing (unless the poll interval is longer).</summary>
    public static readonly TimeSpan MaxPollWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan RaiseRetryDelay = TimeSpan.FromSeconds(1);
    private const int RaiseAttempts = 3;

    private readonly IRunwareClient runware;
    private readonly InferenceSlots slots;
    private readonly InferenceTimings timings;
    private readonly ILogger<InferenceWatcher> logger;
    private readonly IOrchestrationEvents? events;
    private readonly TimeProvider time;
    private readonly FluxOptions options;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, byte> watching = new(StringComparer.Ordinal);

    public InferenceWatcher(
        IRunwareClient runware,
        InferenceSlots slots,
        InferenceTimings timings,
        IOptions<FluxOptions> options,
        ILogger<InferenceWatcher> logger,
        IOrchestrationEvents? events = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.runware = runware;
        this.slots = slots;
        this.timings = timings;
        this.logger = logger;
        this.events = events;
        this.options = options.Value;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Whether submitted inferences are watched on this host.</summary>
    public bool Enabled => Watches(options, events);

    /// <summary>Whether a host with these options (and <paramref name="events"/>, if it can raise them) watches its inferences.</summary>
    public static bool Watches(FluxOptions options, IOrchestrationEvents? events)
    {
        ArgumentNullException.ThrowIfNull(options);
        return events is not null && options.WatchPollIntervalMs > 0;
    }

    /// <summary>Inferences watched now.</summary>
    public int Count => watching.Count;

    /// <summary>Starts watching <paramref name="taskUuid"/> of job <paramref name="jobId"/>; false when this host does not watch.</summary>
    public bool Watch(string jobId, string taskUuid, int expectedResults)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(taskUuid);
        if (!Enabled || stopping.IsCancellationRequested)
        {
            return false;
        }

        if (watching.TryAdd(taskUuid, 0))
        {
            _ = Task.Run(() => WatchAsync(jobId, taskUuid, Math.Max(1, expectedResults), stopping.Token));
        }

        return true;
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private async Task WatchAsync(string jobId, string taskUuid, int expectedResults, CancellationToken cancellationToken)
    {
        // One span for the whole watch (its length is the inference's, as this host saw it), in place of the poll spans.
        using var span = FluxTelemetry.StartStage(SpanName, new PollInferenceInput(taskUuid, expectedResults, Final: false), jobId);
        try
        {
            var started = time.GetTimestamp();
            var deadline = time.GetUtcNow().AddSeconds(options.InferenceTimeoutSeconds);
            var interval = TimeSpan.FromMilliseconds(options.WatchPollIntervalMs);
            var silence = TimeSpan.FromSeconds(options.TaskSilenceSeconds);
            var lastSign = started;
            var expected = TimeSpan.FromMilliseconds(timings.ExpectedMs() is var learned and > 0 ? learned : options.PollInitialDelayMs);
            var wait = TimeSpan.Zero;
            await Task.Delay(expected, time, cancellationToken).ConfigureAwait(false);
            while (time.GetUtcNow() < deadline)
            {
                PollInferenceResult result;
                try
                {
                    var poll = await runware.GetResponseAsync(taskUuid, expectedResults, cancellationToken).ConfigureAwait(false);
                    result = PollResults.From(poll);
                }
                catch (PermanentFluxException ex)
                {
                    LogGaveUp(logger, taskUuid, ex.First.Code);
                    return;
                }
#pragma warning disable CA1031 // Any other failure is treated as transient until the deadline.
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    // Transient (after the client's own retries, or its circuit is open): keep watching, more slowly, and
                    // never sooner than Runware's Retry-After.
                    LogPollFailed(logger, taskUuid, ex.GetType().Name);
                    await Task.Delay(BackOff(ex, interval), time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var done = result.IsFinal;
                if (result.Status == PollStatus.Processing)
                {
                    lastSign = time.GetTimestamp();
                }
                else if (result.Status == PollStatus.Silent && time.GetElapsedTime(lastSign) > silence)
                {
                    // No sign of the task for this long: the job's own durable polls look it up and decide.
                    LogSilent(logger, taskUuid, result.Evidence);
                    return;
                }

                timings.Polled(taskUuid, done);
                if (done)
                {
                    FluxTelemetry.Complete(span, result);
                    slots.Release(taskUuid);
                    await RaiseAsync(jobId, taskUuid, result, cancellationToken).ConfigureAwait(false);
                    return;
                }

                wait = NextWait(time.GetElapsedTime(started), expected, interval, wait);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping; the orchestration's fallback poll takes over after a restart.
        }
#pragma warning disable CA1031 // A background watch must never take the host down; the durable fallback covers any failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPollFailed(logger, taskUuid, ex.GetType().Name);
        }
        finally
        {
            watching.TryRemove(taskUuid, out _);
        }
    }

    /// <summary>
    /// The wait before the next poll of a task still processing. Until half as long again as the expected time has passed
    /// (the first poll aims a little early, <see cref="InferenceTimings.WatchedHitRate"/>): one interval, or a twentieth
    /// of the expected time when that is longer, so a result is seen within about that once it is in. Later the task is
    /// slower than usual: each wait half as long again as the last, up to <see cref="MaxPollWait"/>.
    /// </summary>
    /// <param name="elapsed">Time since the watch started.</param>
    /// <param name="expected">When the first poll was made.</param>
    /// <param name="interval"><c>Flux__WatchPollIntervalMs</c>.</param>
    /// <param name="last">The last wait between polls (zero after the first poll).</param>
    internal static TimeSpan NextWait(TimeSpan elapsed, TimeSpan expected, TimeSpan interval, TimeSpan last)
    {
        var near = interval > expected / 20 ? interval : expected / 20;
        if (elapsed < expected * 1.5)
        {
            return near;
        }

        var grown = last * 1.5 < MaxPollWait ? last * 1.5 : MaxPollWait;
        return grown > near ? grown : near;
    }

    /// <summary>The wait after a failed poll: four intervals, or Runware's Retry-After when that is longer.</summary>
    internal static TimeSpan BackOff(Exception failure, TimeSpan interval)
    {
        var wait = interval * 4;
        return failure is TransientFluxException { RetryAfter: { } after } && after > wait ? after : wait;
    }

    private async Task RaiseAsync(string jobId, string taskUuid, PollInferenceResult result, CancellationToken cancellationToken)
    {
        var posted = new RunwareWebhookEvent(taskUuid, result.Images, result.Error, Via);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await events!.RaiseAsync(jobId, RunwareWebhookEvent.Name(taskUuid), posted, cancellationToken).ConfigureAwait(false);
                LogDelivered(logger, jobId, taskUuid, result.Images.Count, result.Error?.Code);
                return;
            }
#pragma warning disable CA1031 // The task hub may be briefly unreachable; the durable fallback covers a lost event.
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < RaiseAttempts)
            {
                await Task.Delay(RaiseRetryDelay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRaiseFailed(logger, jobId, taskUuid, ex.GetType().Name);
                return;
            }
#pragma warning restore CA1031
        }
    }

    [LoggerMessage(EventId = 1440, Level = LogLevel.Debug, Message = "Watcher: job {JobId}, task {TaskUuid} finished with {Images} result(s), error {Code}")]
    private static partial void LogDelivered(ILogger logger, string jobId, string taskUuid, int images, string? code);

    [LoggerMessage(EventId = 1441, Level = LogLevel.Warning, Message = "Watcher: a getResponse poll of task {TaskUuid} failed ({Reason}); still watching")]
    private static partial void LogPollFailed(ILogger logger, string taskUuid, string reason);

    [LoggerMessage(EventId = 1442, Level = LogLevel.Warning, Message = "Watcher: stopped watching task {TaskUuid} after a permanent error {Code}; the job's own poll reports it")]
    private static partial void LogGaveUp(ILogger logger, string taskUuid, string code);

    [LoggerMessage(EventId = 1444, Level = LogLevel.Warning, Message = "Watcher: task {TaskUuid} showed no sign of life ({Evidence}); the job's own poll takes it")]
    private static partial void LogSilent(ILogger logger, string taskUuid, string? evidence);

    [LoggerMessage(EventId = 1443, Level = LogLevel.Warning, Message = "Watcher: could not raise the result of task {TaskUuid} on job {JobId} ({Reason}); the job's fallback poll takes it")]
    private static partial void LogRaiseFailed(ILogger logger, string jobId, string taskUuid, string reason);
}
