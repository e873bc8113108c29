namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Submits an inference (async delivery) once a slot of <c>Flux__MaxConcurrentInferences</c> is free
/// (<see cref="InferenceSubmitter"/>): for the <see cref="Activities.SubmitInference"/> activity, and for
/// <see cref="Activities.PrepareInputs"/>, which submits a job's first inferences itself to spare the job a trip through
/// the task hub. Where this host can raise events on orchestrations (the self-hosted runner) a submission that finds every
/// slot taken is queued and submitted by the host on the job's behalf as soon as one is free
/// (<see cref="InferenceSlots.AcquireOrQueue"/>); elsewhere it waits in a short line for a slot, then hands back to the
/// orchestration to retry on a timer.
/// </summary>
public sealed class InferenceSubmissions(InferenceSlots slots, InferenceSubmitter submitter, InferenceTimings timings, TimeProvider time)
{
    /// <summary>How long one attempt waits in line for a free slot before handing back to the orchestration (hosts that cannot queue).</summary>
    public static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A submission that starts this long after the orchestration scheduled it may be a second execution of the same
    /// activity after a crash (the durable engine hands a crashed host's work item out again once its lease runs out, or
    /// an episode that was not committed sends it again), so it looks the task up before submitting. A backlog makes
    /// fresh submissions late too: they only pay the look-up.
    /// </summary>
    public static readonly TimeSpan DoubtAfter = TimeSpan.FromSeconds(5);

    /// <summary>Submitted, already known, rejected, or busy (queued on this host, or to be retried by the job).</summary>
    public async Task<SubmitInferenceResult> SubmitAsync(SubmitInferenceInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);

        // Decided now, as the activity starts: a queued submission the host makes later is not late, it is first.
        input = input with { InDoubt = input.InDoubt || time.GetUtcNow() - input.ScheduledAt > DoubtAfter, ScheduledAt = null };
        if (slots.QueuesSubmissions)
        {
            var claim = slots.AcquireOrQueue(new QueuedSubmission(input.JobId, input.TaskUuid, ct => submitter.SubmitHeldAsync(input, ct)));
            if (claim.HandOff is { } inProgress)
            {
                // The host is submitting it on the job's behalf right now (the job's fallback timer came first); if that
                // fails, the job tries again shortly.
                return await inProgress.ConfigureAwait(false) ?? new SubmitInferenceResult(SubmitStatus.Busy, 0, null);
            }

            if (!claim.Held)
            {
                return new SubmitInferenceResult(SubmitStatus.Busy, 0, null, Queued: true, QueueWaitMs: slots.EstimatedWaitMs(claim.Ahead, timings.ExpectedMs()));
            }
        }
        else if (!await slots.TryAcquireAsync(input.TaskUuid, SlotWait, cancellationToken).ConfigureAwait(false))
        {
            return new SubmitInferenceResult(SubmitStatus.Busy, 0, null);
        }

        return await submitter.SubmitHeldAsync(input, cancellationToken).ConfigureAwait(false);
    }
}
