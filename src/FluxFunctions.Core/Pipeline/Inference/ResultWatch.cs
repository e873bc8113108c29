using FluxFunctions.Core.Configuration;
using FluxFunctions.Errors;
using FluxFunctions.Runware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Pipeline;

/// <summary>What watching a submitted inference showed.</summary>
/// <param name="Last">The last answer (final, processing or silent); null when none came (every poll failed).</param>
/// <param name="SilentForMs">How long the task had shown no sign of life at the end (0 when the last answer showed it).</param>
public readonly record struct Watched(PollInferenceResult? Last, int SilentForMs);

/// <summary>
/// Polls <c>getResponse</c> for an inference from inside the activity that submitted it, for a bounded time
/// (<c>Flux__InferenceWatchSeconds</c>), so a result is seen tens of milliseconds after Runware has it and the job needs no
/// trip through the task hub per poll. The first poll comes when a result is likely (<see cref="InferenceTimings"/>); then
/// every quarter of <c>Flux__WatchPollIntervalMs</c> (or an eightieth of the expected time; half that while this host's
/// inferences take about the same time, <see cref="InferenceTimings.Steady"/>) until a tenth past the expected time,
/// where most results land (only when the watch began at the submission); then every
/// <c>Flux__WatchPollIntervalMs</c> (or a twentieth of the expected time) until half as long again as expected, then half
/// as long again each time up to <see cref="MaxPollWait"/>; never sooner than Runware's <c>Retry-After</c>. It stops at
/// the task's outcome, at the end of its time, or when the task has shown no sign of life for
/// <c>Flux__TaskSilenceSeconds</c>; the job decides what comes next. A result found after the first poll missed tells
/// <see cref="InferenceTimings"/> when the task was last seen still running (a cold host's first polls learn from it).
/// </summary>
public sealed partial class ResultWatch(IRunwareClient runware, InferenceTimings timings, IOptions<FluxOptions> options, ILogger<ResultWatch> logger, TimeProvider time)
{
    /// <summary>The longest wait between two polls of a task still processing (unless the poll interval is longer).</summary>
    public static readonly TimeSpan MaxPollWait = TimeSpan.FromSeconds(2);

    private readonly FluxOptions settings = options.Value;

    /// <summary>Watches <paramref name="taskUuid"/>, just submitted, for up to <paramref name="watchFor"/>; the first poll when a result is likely.</summary>
    /// <exception cref="PermanentFluxException">Runware refused to answer for good (the account, the request).</exception>
    public Task<Watched> WatchAsync(string taskUuid, int expectedResults, TimeSpan watchFor, CancellationToken cancellationToken) =>
        WatchAsync(taskUuid, expectedResults, watchFor, null, cancellationToken);

    /// <summary>Watches <paramref name="taskUuid"/> for up to <paramref name="watchFor"/>, the first poll after <paramref name="firstPoll"/> (null: when a result is likely).</summary>
    /// <exception cref="PermanentFluxException">Runware refused to answer for good (the account, the request).</exception>
    public async Task<Watched> WatchAsync(string taskUuid, int expectedResults, TimeSpan watchFor, TimeSpan? firstPoll, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var lastSign = started;
        var interval = TimeSpan.FromMilliseconds(Math.Max(1, settings.WatchPollIntervalMs));
        var silence = TimeSpan.FromSeconds(settings.TaskSilenceSeconds);
        var expected = TimeSpan.FromMilliseconds(timings.ExpectedMs() is var learned and > 0 ? learned : settings.PollInitialDelayMs);
        var wait = TimeSpan.Zero;
        PollInferenceResult? last = null;
        long? lastMiss = null;
        await Task.Delay(Min(firstPoll ?? expected, watchFor), time, cancellationToken).ConfigureAwait(false);

        // Inferences that take about the same time (their last polls that missed within one close wait of each other, the
        // wait just past the expected time): the result of a first poll that missed is due within it, so the close polls
        // come twice as often.
        var steady = firstPoll is null && timings.Steady(CloseWait(expected, interval, steady: false));
        while (true)
        {
            try
            {
                var sent = time.GetTimestamp();
                last = PollResults.From(await runware.GetResponseAsync(taskUuid, expectedResults, cancellationToken).ConfigureAwait(false));
                timings.Polled(taskUuid, last.IsFinal);
                if (last.IsFinal)
                {
                    if (firstPoll is null && lastMiss is { } missed)
                    {
                        // Watched from its submission: it was still running when the last poll that missed was sent.
                        timings.StillRunningAt(time.GetElapsedTime(started, missed));
                    }

                    return new Watched(last, 0);
                }

                if (last.Status == PollStatus.Processing)
                {
                    lastSign = time.GetTimestamp();
                    lastMiss = sent;
                }
                else if (time.GetElapsedTime(lastSign) >= silence)
                {
                    LogSilent(logger, taskUuid, last.Evidence);
                    break;
                }

                wait = NextWait(time.GetElapsedTime(started), expected, interval, wait, aimed: firstPoll is null, steady);
            }
            catch (TransientFluxException ex)
            {
                // After the client's own retries (or with its circuit open): keep watching, more slowly, and never sooner
                // than Runware's Retry-After.
                LogPollFailed(logger, taskUuid, ex.GetType().Name);
                wait = BackOff(ex, interval);
            }

            var left = watchFor - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(Min(wait, left), time, cancellationToken).ConfigureAwait(false);
        }

        var silent = last?.Status == PollStatus.Silent ? (int)time.GetElapsedTime(lastSign).TotalMilliseconds : 0;
        return new Watched(last, silent);
    }

    /// <summary>
    /// The wait before the next poll of a task still processing (<see cref="PollSchedule"/>): a quarter interval just
    /// past the expected time, one interval near it (the first poll aims a little early,
    /// <see cref="InferenceTimings.WatchedHitRate"/>), growing up to <see cref="MaxPollWait"/> once the task is slower
    /// than usual.
    /// </summary>
    /// <param name="elapsed">Time since the watch started.</param>
    /// <param name="expected">When the first poll was made.</param>
    /// <param name="interval"><c>Flux__WatchPollIntervalMs</c>.</param>
    /// <param name="last">The last wait between polls (zero after the first poll).</param>
    /// <param name="aimed">Whether the watch began at the submission and aimed its first poll at the expected time (a
    /// durable poll's watch, which begins long after, keeps the usual interval throughout).</param>
    /// <param name="steady">Whether this host's inferences take about the same time (<see cref="InferenceTimings.Steady"/>):
    /// the close polls come twice as often.</param>
    internal static TimeSpan NextWait(TimeSpan elapsed, TimeSpan expected, TimeSpan interval, TimeSpan last, bool aimed = true, bool steady = false) =>
        PollSchedule.Next(elapsed, expected, interval, last, MaxPollWait, aimed ? CloseWait(expected, interval, steady) : null);

    /// <summary>
    /// The wait between the watch's polls just past the expected time (<see cref="PollSchedule"/>'s close window, a tenth
    /// of it): a quarter of <c>Flux__WatchPollIntervalMs</c>, or an eightieth of the expected time when that is longer, so
    /// at most eight polls there; half that, and at most sixteen, while inferences are <paramref name="steady"/>.
    /// </summary>
    internal static TimeSpan CloseWait(TimeSpan expected, TimeSpan interval, bool steady)
    {
        var often = steady ? 2 : 1;
        var wait = interval / (CloseShare * often);
        var shortest = expected / (CloseShareOfExpected * often);
        return wait > shortest ? wait : shortest;
    }

    /// <summary>Right after the expected time the watch polls this many times as often as <c>Flux__WatchPollIntervalMs</c>.</summary>
    internal const int CloseShare = 4;

    /// <summary>Right after the expected time the watch waits at least this share of it between polls (an eightieth: at most eight polls in the tenth past it).</summary>
    private const int CloseShareOfExpected = 80;

    /// <summary>The wait after a failed poll: four intervals, or Runware's Retry-After when that is longer.</summary>
    internal static TimeSpan BackOff(TransientFluxException failure, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var wait = interval * 4;
        return failure.RetryAfter is { } after && after > wait ? after : wait;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(EventId = 1441, Level = LogLevel.Warning, Message = "Watch: a getResponse poll of task {TaskUuid} failed ({Reason}); still watching")]
    private static partial void LogPollFailed(ILogger logger, string taskUuid, string reason);

    [LoggerMessage(EventId = 1444, Level = LogLevel.Warning, Message = "Watch: task {TaskUuid} showed no sign of life ({Evidence}); the job looks it up")]
    private static partial void LogSilent(ILogger logger, string taskUuid, string? evidence);
}
