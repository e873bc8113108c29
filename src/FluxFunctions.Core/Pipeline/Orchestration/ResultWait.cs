using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Errors;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>How a result reached the job, and how many durable polls it took.</summary>
/// <param name="Result">Final; or silent for <c>Flux__TaskSilenceSeconds</c> (the step looks the task up).</param>
/// <param name="Polls">Durable <c>getResponse</c> polls.</param>
/// <param name="Via"><c>poll</c> or <c>webhook</c>.</param>
internal readonly record struct WaitedResult(PollInferenceResult Result, int Polls, string Via);

/// <summary>
/// The job's durable wait for the result of a submitted inference, after the submitting activity stopped watching it (or
/// never did): with Runware's webhooks on, their posts (<see cref="RunwareWebhookEvent"/>, collected by imageUUID so a
/// duplicate delivery is ignored) end the wait as soon as every generation is in, with a poll only as the fallback when
/// none came in time; otherwise <c>getResponse</c> polled on durable timers with back-off. A task that shows no sign of life
/// for <c>Flux__TaskSilenceSeconds</c> ends the wait silent; one still processing at <c>Flux__InferenceTimeoutSeconds</c>
/// ends it with <c>inferenceTimeout</c>. Deterministic: one event waiter stays open across waits, so a post that arrives
/// while a fallback poll runs is not lost.
/// </summary>
internal sealed class ResultWait(JobRun run, InferenceRequest request)
{
    private readonly Dictionary<string, GeneratedResult> received = new(StringComparer.Ordinal);
    private Task<RunwareWebhookEvent>? pending;

    /// <param name="expectedMs">When a first poll is likely to find the result.</param>
    /// <param name="silentForMs">How long the task has already shown no sign of life.</param>
    public async Task<WaitedResult> RunAsync(int expectedMs, int silentForMs)
    {
        var settings = run.Settings;
        var deadline = run.Now.AddSeconds(settings.InferenceTimeoutSeconds);
        var lastSign = run.Now.AddMilliseconds(-silentForMs);
        var silence = TimeSpan.FromSeconds(settings.TaskSilenceSeconds);
        var started = run.Now;
        var expected = TimeSpan.FromMilliseconds(expectedMs > 0 ? expectedMs : settings.PollInitialDelayMs);
        var maxDelay = TimeSpan.FromMilliseconds(settings.PollMaxDelayMs);
        var delay = expected - TimeSpan.FromMilliseconds(silentForMs) is var left && left > NearPoll ? left : NearPoll;
        var webhooks = settings.WebhookBaseUrl is not null;
        var polls = 0;
        while (true)
        {
            if (await PostedAsync(webhooks ? Fallback(delay, deadline) : delay).ConfigureAwait(true) is { } posted)
            {
                return new WaitedResult(posted, polls, "webhook");
            }

            var final = run.Now >= deadline;
            var poll = await run.CallAsync<PollInferenceResult>(nameof(PollInference), new PollInferenceInput(request.JobId, request.TaskUuid, request.ExpectedResults, final, settings.PollWatchSeconds)).ConfigureAwait(true);
            polls++;
            if (poll.IsFinal)
            {
                return new WaitedResult(poll, polls, "poll");
            }

            if (poll.Status == PollStatus.Processing)
            {
                lastSign = run.Now;
            }
            else if (run.Now - lastSign >= silence)
            {
                return new WaitedResult(poll, polls, "poll");
            }

            if (final)
            {
                return new WaitedResult(PollInferenceResult.Failed(new FluxError(ErrorCodes.InferenceTimeout, $"Runware did not finish task {request.TaskUuid} within {settings.InferenceTimeoutSeconds} s.")), polls, "poll");
            }

            run.Show($"task {request.TaskUuid[..8]}: poll {polls}");
            delay = PollSchedule.Next(run.Now - started, expected, NearPoll, delay, maxDelay);
        }
    }

    /// <summary>The shortest wait between two durable polls (a timer and an activity, a few hundred milliseconds of task hub).</summary>
    internal static readonly TimeSpan NearPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// With webhooks: waits up to <paramref name="timeout"/> for posts completing the task; the result, or null when the
    /// time is up. Without: a timer.
    /// </summary>
    private async Task<PollInferenceResult?> PostedAsync(TimeSpan timeout)
    {
        if (run.Settings.WebhookBaseUrl is null)
        {
            await run.WaitAsync<object?>(null, timeout).ConfigureAwait(true);
            return null;
        }

        var until = run.Now + timeout;
        while (true)
        {
            var left = until - run.Now;
            pending ??= run.Context.WaitForExternalEvent<RunwareWebhookEvent>(RunwareWebhookEvent.Name(request.TaskUuid));
            using var cts = new CancellationTokenSource();
            var timer = run.Context.CreateTimer(left > TimeSpan.Zero ? left : TimeSpan.Zero, cts.Token);
            var first = await Task.WhenAny(run.Cancelable ? [timer, run.Canceled, pending] : [timer, pending]).ConfigureAwait(true);
            if (first != timer)
            {
                // Synchronous on purpose: an orchestrator must not await anything but durable tasks.
#pragma warning disable CA1849
                cts.Cancel();
#pragma warning restore CA1849
            }

            if (first == run.Canceled)
            {
                throw new JobCanceledException();
            }

            if (first == timer)
            {
                return null;
            }

            var posted = await pending.ConfigureAwait(true);
            pending = null;
            if (posted.Error is { } error)
            {
                return PollInferenceResult.Failed(error);
            }

            foreach (var image in posted.Images)
            {
                received.TryAdd(image.ImageUUID ?? image.ImageURL ?? $"#{received.Count}", image);
            }

            if (received.Count >= Math.Max(1, request.ExpectedResults))
            {
                var images = received.OrderBy(r => r.Value.Seed ?? long.MaxValue).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value).ToList();
                return new PollInferenceResult(PollStatus.Success, images, null);
            }
        }
    }

    /// <summary>With webhooks: how long to wait for Runware's post before a fallback poll (never past the deadline).</summary>
    private TimeSpan Fallback(TimeSpan delay, DateTime deadline)
    {
        var fallback = TimeSpan.FromSeconds(run.Settings.WebhookFallbackSeconds);
        var wait = delay > fallback ? delay : fallback;
        var left = deadline - run.Now;
        var floor = TimeSpan.FromMilliseconds(run.Settings.PollInitialDelayMs);
        return wait < left ? wait : (left > floor ? left : floor);
    }
}
