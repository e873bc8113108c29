namespace FluxFunctions.Core.Pipeline;

/// <summary>An inference waiting in <see cref="InferenceSlots"/>' queue: whose it is and how to submit it once a slot is held for it.</summary>
/// <param name="JobId">The job (orchestration instance) told of the outcome.</param>
/// <param name="TaskUuid">The inference's taskUUID (its slot's key).</param>
/// <param name="SubmitAsync">Submits it, the slot held (<see cref="InferenceSubmitter.SubmitHeldAsync"/>).</param>
public sealed record QueuedSubmission(string JobId, string TaskUuid, Func<CancellationToken, Task<SubmitInferenceResult>> SubmitAsync);

/// <summary>What <see cref="InferenceSlots.AcquireOrQueue"/> did with a submission.</summary>
/// <param name="Held">A slot is held for it: submit now.</param>
/// <param name="Ahead">Queued: how many submissions are ahead of it.</param>
/// <param name="HandOff">The host is submitting it on the job's behalf right now: its outcome (null if that failed).</param>
public readonly record struct SlotClaim(bool Held, int Ahead, Task<SubmitInferenceResult?>? HandOff);
