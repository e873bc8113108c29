using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Runware;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// One Runware inference of a job (one Fill crop, or the job's only one), from submission to result, returned as an
/// <see cref="InferenceOutcome"/> (several run side by side):
/// <list type="number">
/// <item>Submit it: the first attempt made while preparing, or a <see cref="RunInference"/> call; when every slot is taken,
/// again after about the time a slot takes to free.</item>
/// <item>Take its result: seen by the attempt itself, or waited for (<see cref="ResultWait"/>).</item>
/// <item>Silent for <c>Flux__TaskSilenceSeconds</c>: look it up and submit it again under the same taskUUID, once; silent
/// again, it is missing (<c>runwareTaskMissing</c>).</item>
/// <item>A generation that fails for a reason Runware calls transient (a provider timeout) is submitted again under a new
/// taskUUID, at most <see cref="EditOrchestrator.MaxResubmissions"/> times; every other outcome is final.</item>
/// </list>
/// Retries live in one layer each: the Runware client retries one HTTP call (Polly), the job retries a failed activity
/// (<see cref="JobRun.CallAsync{T}(string, Func{int, object})"/>, in doubt from the second attempt), and this step
/// resubmits a failed generation.
/// </summary>
internal sealed class InferenceStep(JobRun run, EditSpec spec, InferencePiece piece, string? guide, InferenceAttempt? first, bool firstInDoubt)
{
    public async Task<InferenceOutcome> RunAsync()
    {
        var prepared = run.Prepared!;
        for (var submission = 0; ; submission++)
        {
            var request = InferencePieces.Request(run.Job, spec, prepared, piece, submission, guide) with { InDoubt = submission == 0 && firstInDoubt };
            var task = System.Text.Json.Nodes.JsonNode.Parse(request.TaskJson)!.AsObject();
            run.InFlight.Add(request.TaskUuid);
            var attempt = await SubmitAsync(request, submission == 0 ? first : null).ConfigureAwait(true);
            if (attempt.Status == AttemptStatus.Rejected)
            {
                run.InFlight.Remove(request.TaskUuid);
                return new InferenceOutcome(piece.Index, request.TaskUuid, task, null, 0, submission, PollInferenceResult.Failed(attempt.Error!));
            }

            run.EnterOnce(Stages.Inferring, alreadyIn: TimeSpan.FromMilliseconds(attempt.WatchedMs));
            var result = await ResultAsync(request, attempt).ConfigureAwait(true);
            SubmitOutcome? silenceCheck = null;
            if (result.Result.Status == PollStatus.Silent)
            {
                run.Log.LogWarning("Job {JobId}: inference {Task} showed no sign of life for {Seconds} s ({Evidence}); looking it up", run.Job.JobId, request.TaskUuid, run.Settings.TaskSilenceSeconds, result.Result.Evidence);
                var again = await SubmitAsync(request with { InDoubt = true }, null).ConfigureAwait(true);
                if (again.Status == AttemptStatus.Rejected)
                {
                    run.InFlight.Remove(request.TaskUuid);
                    return new InferenceOutcome(piece.Index, request.TaskUuid, task, attempt.Submitted, result.Polls, submission, PollInferenceResult.Failed(again.Error!));
                }

                silenceCheck = again.Submitted;
                var late = await ResultAsync(request, again).ConfigureAwait(true);
                result = late with
                {
                    Polls = result.Polls + late.Polls,
                    Result = late.Result.Status == PollStatus.Silent ? PollInferenceResult.Failed(Missing(request.TaskUuid, again.Submitted, late.Result.Evidence)) : late.Result,
                };
            }

            if (result.Result.Error?.Code != ErrorCodes.RunwareTaskMissing)
            {
                // Answered: whoever saw the answer gave the slot back. A missing task keeps its slot until the job ends.
                run.InFlight.Remove(request.TaskUuid);
            }

            if (result.Result.Error is { } error && submission < EditOrchestrator.MaxResubmissions && RunwareErrorCodes.IsTransient(error.Code))
            {
                run.Log.LogWarning("Job {JobId}: inference {Task} failed with {Code}; submitting it again", run.Job.JobId, request.TaskUuid, error.Code);
                continue;
            }

            return new InferenceOutcome(piece.Index, request.TaskUuid, task, attempt.Submitted, result.Polls, submission, result.Result, result.Via, silenceCheck);
        }
    }

    /// <summary>
    /// Until Runware has the task (or refuses it): while every slot is taken, asks again about when one frees. Each call
    /// says when it is due (<see cref="InferenceRequest.ScheduledAt"/>) from values the history keeps (the job's creation,
    /// the last busy answer), so a call that comes much later than that, as one made again after a crash does, is in doubt.
    /// </summary>
    private async Task<InferenceAttempt> SubmitAsync(InferenceRequest request, InferenceAttempt? made)
    {
        var due = (DateTimeOffset?)run.Job.CreatedAt;
        for (var busy = 0; ; busy++)
        {
            InferenceAttempt attempt;
            if (busy == 0 && made is not null)
            {
                run.Retry.Count(Stages.Submitting);
                attempt = made;
            }
            else
            {
                var scheduledAt = due;
                attempt = await run.CallAsync<InferenceAttempt>(nameof(RunInference), n => request with { InDoubt = request.InDoubt || n > 1, ScheduledAt = scheduledAt }).ConfigureAwait(true);
            }

            if (attempt.Status != AttemptStatus.Busy)
            {
                return attempt;
            }

            run.EnterOnce(Stages.Submitting, "waiting for a free inference slot");
            var wait = TimeSpan.FromMilliseconds(Math.Clamp(attempt.RetryAfterMs, 250, 30_000));
            due = attempt.At + wait;
            request = request with { InDoubt = request.InDoubt || attempt.InDoubt };
            await run.WaitAsync<object?>(null, wait).ConfigureAwait(true);
        }
    }

    /// <summary>The attempt's own result when it saw one; else the durable wait.</summary>
    private async Task<WaitedResult> ResultAsync(InferenceRequest request, InferenceAttempt attempt) =>
        attempt.Finished || (attempt.Result?.Status == PollStatus.Silent && attempt.SilentForMs >= run.Settings.TaskSilenceSeconds * 1000)
            ? new WaitedResult(attempt.Result!, 0, "watch")
            : await new ResultWait(run, request).RunAsync(attempt.ExpectedMs, attempt.SilentForMs).ConfigureAwait(true);

    private FluxError Missing(string taskUuid, SubmitOutcome? recheck, string? evidence) => new(
        ErrorCodes.RunwareTaskMissing,
        $"Runware showed no sign of inference task {taskUuid} for {run.Settings.TaskSilenceSeconds} s after it was submitted, nor for as long after it was "
        + (recheck == SubmitOutcome.Accepted
            ? "submitted again under the same taskUUID"
            : "looked up (and offered again under the same taskUUID when the look-up found nothing), which Runware answered as a task it already has (its record of it, or a refusal of the duplicate taskUUID)")
        + $"; the last answer: {evidence ?? "none"}. Runware may have dropped the task: start the job again (drop the image again or repeat the request).");
}
