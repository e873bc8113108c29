using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Errors;
using FluxFunctions.ImageRules;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// One edit job, top to bottom: prepare its inputs (waiting for a blob job's companions; Runware makes a Canny/Depth guide
/// there when asked), run each inference, then store the results and write the manifest, last. Any permanent problem ends
/// the job with a failure record instead; a <see cref="CancelEvent"/> ends it as canceled (nothing written). A job with a
/// <c>callbackUrl</c> then notifies it (<see cref="CompletionCallback"/>), after the progress events it asked for
/// (<see cref="ProgressCallbacks"/>, raised as it enters stages). Deterministic: every Runware or storage call is
/// an activity; ids and times come from the orchestration context; logs go through the replay-safe logger (<see cref="JobRun"/>).
/// </summary>
public sealed class EditOrchestrator : TaskOrchestrator<JobRequest, JobResult>
{
    /// <summary>External event raised when a companion blob arrives.</summary>
    public const string CompanionEvent = "companion";

    /// <summary>External event raised by <c>DELETE /api/edits/{id}</c>: stop, write nothing, send the callback.</summary>
    public const string CancelEvent = "cancel";

    /// <summary>How often a transiently failed generation is submitted again under a new taskUUID.</summary>
    public const int MaxResubmissions = 2;

    public override async Task<JobResult> RunAsync(TaskOrchestrationContext context, JobRequest job)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(job);
        var run = new JobRun(context, job);
        JobResult? result = null;
        while (result is null)
        {
            try
            {
                result = await RunJobAsync(run).ConfigureAwait(true);
            }
            catch (JobCanceledException)
            {
                if (run.Stage == Stages.Preparing && !await ClaimCancelAsync(run).ConfigureAwait(true))
                {
                    // The preparing activity had begun storing the results: the job completes with what that activity
                    // returns (awaited again, not called again); should it fail, the next attempt is in doubt and finds
                    // the same results.
                    run.Log.LogInformation("Job {JobId}: canceled after it began storing its results; it completes", run.Job.JobId);
                    (run.Cancelable, run.PrepareInDoubt) = (false, true);
                    continue;
                }

                result = await CancelAsync(run).ConfigureAwait(true);
            }
            catch (TaskFailedException ex)
            {
                // A transient fault outlived its retries (Runware or storage down for too long) or a bug: record it.
                var code = ex.FailureDetails.IsCausedBy<TransientFluxException>() ? ErrorCodes.RunwareUnavailable : ErrorCodes.Internal;
                result = await FailAsync(run, new FluxError(code, $"The {run.Stage} stage failed after {run.Retry.AttemptsOf(run.Stage)} attempts: {Clip(ex.FailureDetails.ErrorMessage)}")).ConfigureAwait(true);
            }
        }

        return await CompletionCallback.NotifyAsync(context, job, run.Spec, run.Progress, result, run.Log).ConfigureAwait(true);
    }

    private static async Task<JobResult> RunJobAsync(JobRun run)
    {
        (run.Spec, run.Mask) = (run.Job.Spec, run.Job.Mask);

        // 1. The options and the inputs: prepared, handed to Runware, and each inference's first attempt made where a slot was free.
        var ready = await PrepareAsync(run).ConfigureAwait(true);
        (run.Spec, run.Options, run.Defaults, run.Mask, run.Prepared, run.Guide) = (ready.Spec, ready.Options, ready.Defaults, ready.Mask, ready.Prepared, ready.Guide);
        run.Progress.Reached(run.Stage, run.Spec); // a blob job's options, and so its callbackEvents, are known from here
        if (ready.Error is { } problem || ready.Prepared is null || ready.Spec is null)
        {
            return await FailAsync(run, ready.Error ?? new FluxError(ErrorCodes.Internal, "Nothing was prepared."), ready.FailedStage).ConfigureAwait(true);
        }

        var spec = ready.Spec;
        var pieces = InferencePieces.Of(ready.Prepared);

        // 2. One inference per piece (Fill crops side by side); the time the preparing activity spent watching them counts as inferring.
        if (ready.Attempts?.Where(a => a.Status == AttemptStatus.Submitted).Select(a => a.WatchedMs).DefaultIfEmpty(-1).Max() is >= 0 and var watched)
        {
            run.EnterOnce(Stages.Inferring, alreadyIn: TimeSpan.FromMilliseconds(watched));
        }
        else
        {
            run.Enter(Stages.Submitting);
        }

        FinishJobResult finished;
        if (ready.Finished is { } stored)
        {
            // The preparing activity saw every result and stored them itself, having claimed the job against a cancel.
            run.Inferences = ready.Inferences ?? [];
            run.Cancelable = false;
            run.Enter(Stages.Storing);
            finished = stored;
        }
        else
        {
            var firstInDoubt = ready.Attempts is null;
            run.Inferences = await Task.WhenAll(pieces.Select((piece, i) => new InferenceStep(run, spec, piece, run.Guide?.GuideImage, ready.Attempts?[i], firstInDoubt).RunAsync())).ConfigureAwait(true);
            if (run.Inferences.FirstOrDefault(o => o.Result.Error is not null)?.Result.Error is { } failed)
            {
                return await FailAsync(run, failed).ConfigureAwait(true);
            }

            // Content safety: a flagged result of a job that asked to fail on it ends the job before anything is stored.
            if (SafetyVerdict.FailingTheJob(spec.Safety, run.Inferences) is { Count: > 0 } flagged)
            {
                return await FailAsync(run, SafetyVerdict.Failure(flagged, spec.NumberResults)).ConfigureAwait(true);
            }

            // 3. The results stored and the manifest written, last: from here the job completes (it can no longer be canceled).
            run.Cancelable = false;
            run.Enter(Stages.Storing);
            finished = await run.CallAsync<FinishJobResult>(nameof(FinishJob), new FinishJobInput(run.Facts())).ConfigureAwait(true);
        }

        if (finished.Error is not null)
        {
            return await FailAsync(run, finished.Error).ConfigureAwait(true);
        }

        run.Enter(Stages.Completed);
        run.Log.LogInformation("Job {JobId} completed: {Count} image(s), manifest {Manifest}", run.Job.JobId, finished.Outputs.Count, finished.ManifestBlob);
        return new JobResult(JobOutcome.Completed, run.Job.JobId, run.Job.Tool, finished.Outputs, ManifestBlob: finished.ManifestBlob);
    }

    /// <summary>
    /// Prepares the job. A blob job whose companions (options, mask) have not all arrived waits for them: a companion's
    /// trigger raises <see cref="CompanionEvent"/> at once, a timer is the fallback; after <c>Flux__CompanionWaitSeconds</c>
    /// a missing one fails the job, after <c>Flux__OptionalCompanionWaitSeconds</c> a redux job goes on without options.
    /// </summary>
    private static async Task<PrepareInputsResult> PrepareAsync(JobRun run)
    {
        var settings = run.Settings;
        var deadline = run.Now.AddSeconds(settings.CompanionWaitSeconds);
        var optionalDeadline = run.Now.AddSeconds(Math.Min(settings.OptionalCompanionWaitSeconds, settings.CompanionWaitSeconds));
        while (true)
        {
            run.EnterOnce(Stages.Preparing);
            var now = run.Now;
            var ready = await PrepareOnceAsync(run, final: now >= deadline).ConfigureAwait(true);
            if (ready.Waiting is not { } missing)
            {
                return ready;
            }

            if (missing.Count == 0 && ready.OptionalPending && now >= optionalDeadline)
            {
                return await PrepareOnceAsync(run, final: true).ConfigureAwait(true);
            }

            run.EnterOnce(Stages.WaitingForCompanions, missing.Count > 0 ? "waiting for " + string.Join(", ", missing) : "waiting briefly for optional options");
            var wait = (missing.Count > 0 ? deadline : optionalDeadline) - now;
            await run.WaitAsync<object?>(CompanionEvent, TimeSpan.FromMilliseconds(Math.Clamp(wait.TotalMilliseconds, 200, 5000))).ConfigureAwait(true);
        }
    }

    /// <summary>
    /// One call of <see cref="PrepareInputs"/>. Its first inference attempts count as scheduled when the job was created:
    /// a re-run after a crash comes well after that, even when it is scheduled again by an orchestration episode that was
    /// not committed (and so has a new time of its own), and is then in doubt.
    /// </summary>
    private static Task<PrepareInputsResult> PrepareOnceAsync(JobRun run, bool final) =>
        run.CallAsync<PrepareInputsResult>(nameof(PrepareInputs), n => new PrepareInputsInput(run.Job, final, InDoubt: n > 1 || run.PrepareInDoubt, ScheduledAt: run.Job.CreatedAt, SoFar: run.SoFar()));

    /// <summary>
    /// A cancel request came while <see cref="PrepareInputs"/> ran, which stores the results itself when it sees them all:
    /// true when the cancel stands (<see cref="ClaimCancel"/>), false when the activity had claimed the job first. A claim
    /// that cannot be made (storage down through every attempt) lets the cancel stand.
    /// </summary>
    private static async Task<bool> ClaimCancelAsync(JobRun run)
    {
        run.Cancelable = false;
        try
        {
            return await run.Context.CallActivityAsync<bool>(nameof(ClaimCancel), new ClaimCancelInput(run.Job.JobId), run.Retry.Uncounted()).ConfigureAwait(true);
        }
        catch (TaskFailedException ex)
        {
            run.Log.LogWarning("Job {JobId}: the cancel could not be claimed ({Reason}); it stands", run.Job.JobId, Clip(ex.FailureDetails.ErrorMessage));
            return true;
        }
    }

    /// <summary>Ends the job as failed: the failure record (written once), the slots it still held given back.</summary>
    private static async Task<JobResult> FailAsync(JobRun run, FluxError error, string? stage = null)
    {
        run.Cancelable = false;
        var failedStage = stage ?? run.Stage;
        run.Log.LogWarning("Job {JobId} failed in {Stage}: {Code} {Message}", run.Job.JobId, failedStage, error.Code, error.Message);
        var blob = await run.CallAsync<string>(nameof(WriteFailure), new WriteFailureInput(run.Facts(), error, failedStage)).ConfigureAwait(true);
        run.Context.SetCustomStatus(new JobProgress(Stages.Failed, error.Code));
        return new JobResult(JobOutcome.Failed, run.Job.JobId, run.Job.Tool, [], error, failedStage, FailureBlob: blob);
    }

    /// <summary>
    /// Ends the job as canceled: gives back the slots its inferences held, writes nothing. Canceled while preparing, its
    /// first inferences may already be in flight (the preparing activity submits them): their slots are given back too,
    /// and the job reads as canceled while inferring.
    /// </summary>
    private static async Task<JobResult> CancelAsync(JobRun run)
    {
        run.Cancelable = false;
        var stage = run.Stage;
        var tasks = stage == Stages.Preparing
            ? Enumerable.Range(0, CropLimits.MaxCrops).Select(crop => RunwareIds.Inference(run.Job.JobId, crop, 0).ToString()).ToList()
            : [.. run.InFlight];
        if (tasks.Count > 0 && await run.CallAsync<int>(nameof(ReleaseSlots), new ReleaseSlotsInput(run.Job.JobId, tasks)).ConfigureAwait(true) > 0 && stage == Stages.Preparing)
        {
            stage = Stages.Inferring;
        }

        run.Log.LogInformation("Job {JobId} canceled in {Stage}", run.Job.JobId, stage);

        run.Context.SetCustomStatus(new JobProgress(stage, "canceled"));
        return new JobResult(JobOutcome.Canceled, run.Job.JobId, run.Job.Tool, [], JobResult.CanceledError, stage);
    }

    private static string Clip(string s) => s.Length <= 500 ? s : s[..500] + "…";
}
