using System.Text.Json;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Net;
using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Core.Requests;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The end of a job with a <c>callbackUrl</c>: once its outcome is final (completed, failed or canceled; after the
/// manifest or failure record) and its progress events are delivered or dropped (<see cref="ProgressCallbacks"/>), POST
/// the job as <c>GET /api/edits/{id}</c> shows it — built by <see cref="EditStatusReader.Ended"/>, so it cannot drift —
/// plus <c>event</c> (the outcome), unless <c>callbackEvents</c> leaves that event out; signed, with durable retries and
/// exponential back-off (<see cref="DeliverCallback"/> says what is worth retrying). Meanwhile the custom status carries
/// the final result, so the job already reads as ended; the delivery's outcome is recorded in the orchestration output
/// and shown as <c>callback</c>.
/// </summary>
internal static class CompletionCallback
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    public static async Task<JobResult> NotifyAsync(TaskOrchestrationContext context, JobRequest job, EditSpec? spec, ProgressCallbacks progress, JobResult result, ILogger log)
    {
        // Never before a progress event: those still being delivered are waited for (a short, bounded wait), the job
        // meanwhile reading as ended.
        if (progress.Any)
        {
            context.SetCustomStatus(new JobProgress(Stages.Notifying, "progress callbacks", result));
        }

        if (await progress.DrainAsync().ConfigureAwait(true) is { } progressCallbacks)
        {
            result = result with { ProgressCallbacks = progressCallbacks };
        }

        var outcome = result.Outcome.ToString().ToLowerInvariant();
        if (spec?.CallbackUrl is not { } callbackUrl || !spec.Sends(outcome))
        {
            return result;
        }

        var ended = EditStatusReader.Ended(job.JobId, job, result, job.CreatedAt, context.CurrentUtcDateTime).Status with { Event = outcome };
        var body = JsonSerializer.Serialize(ended, EditJson.Options);
        var deliveryId = $"{job.JobId}.{outcome}";
        var shown = Uri.TryCreate(callbackUrl, UriKind.Absolute, out var url) ? UrlGuard.Display(url) : "(invalid URL)";
        var delivery = new CallbackDelivery(shown, CallbackStatuses.Delivering, 0);
        var delay = TimeSpan.FromMilliseconds(job.Settings.CallbackRetryDelayMs);
        for (var attempt = 1; ; attempt++)
        {
            context.SetCustomStatus(new JobProgress(Stages.Notifying, $"callback attempt {attempt}", result, delivery));
            CallbackAttempt sent;
            try
            {
                sent = await context.CallActivityAsync<CallbackAttempt>(nameof(DeliverCallback), new DeliverCallbackInput(job.JobId, callbackUrl, deliveryId, body, attempt)).ConfigureAwait(true);
            }
            catch (TaskFailedException ex)
            {
                sent = new CallbackAttempt(false, true, null, "internal error: " + Clip(ex.FailureDetails.ErrorMessage), null, context.CurrentUtcDateTime);
            }

            delivery = delivery with { Attempts = attempt, LastStatusCode = sent.StatusCode, LastError = sent.Error };
            if (sent.Delivered)
            {
                delivery = delivery with { Status = CallbackStatuses.Delivered, DeliveredAt = sent.At };
                break;
            }

            if (!sent.Retryable || attempt >= job.Settings.CallbackMaxAttempts)
            {
                delivery = delivery with { Status = CallbackStatuses.Failed };
                break;
            }

            var wait = delay;
            if (sent.RetryAfterSeconds is { } retryAfter && TimeSpan.FromSeconds(retryAfter) > wait)
            {
                wait = TimeSpan.FromSeconds(Math.Min(retryAfter, MaxRetryAfter.TotalSeconds));
            }

            context.SetCustomStatus(new JobProgress(Stages.Notifying, $"callback attempt {attempt} failed ({sent.Error}); retrying in {wait.TotalSeconds:0.#} s", result, delivery));
            await context.CreateTimer(wait, CancellationToken.None).ConfigureAwait(true);
            delay = TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, delay.TotalMilliseconds * 2));
        }

        log.LogInformation("Job {JobId}: callback to {Url} {Status} after {Attempts} attempt(s)", job.JobId, shown, delivery.Status, delivery.Attempts);
        return result with { Callback = delivery };
    }

    private static string Clip(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
