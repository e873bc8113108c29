using System.Text.Json;
using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Requests;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The end of a job with a <c>callbackUrl</c>: once its outcome is final (completed, failed or canceled; after the
/// manifest or failure record) and its progress events are delivered or dropped (<see cref="ProgressCallbacks"/>), POST
/// the job as <c>GET /api/edits/{id}</c> shows it — built by <see cref="EditView.Ended"/>, so it cannot drift —
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

        var ended = EditView.Ended(job.JobId, job, result, job.CreatedAt, context.CurrentUtcDateTime).Status with { Event = outcome };
        var body = JsonSerializer.Serialize(ended, EditJson.Options);
        var deliveryId = $"{job.JobId}.{outcome}";
        var policy = new CallbackPolicy(job.Settings.CallbackMaxAttempts, TimeSpan.FromMilliseconds(job.Settings.CallbackRetryDelayMs), MaxDelay, MaxRetryAfter, CallbackStatuses.Failed);
        var delivery = await CallbackRetries.DeliverAsync(context, job.JobId, callbackUrl, deliveryId, body, null, policy, (detail, d) =>
            context.SetCustomStatus(new JobProgress(Stages.Notifying, detail, result, d))).ConfigureAwait(true);

        log.LogInformation("Job {JobId}: callback to {Url} {Status} after {Attempts} attempt(s)", job.JobId, delivery.Url, delivery.Status, delivery.Attempts);
        return result with { Callback = delivery };
    }
}
