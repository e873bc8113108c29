using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Runware;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>One <c>getResponse</c> poll of an async inference; frees the inference slot when the result is in.</summary>
public sealed class PollInference(IRunwareClient runware, InferenceSlots slots, InferenceTimings timings) : FluxActivity<PollInferenceInput, PollInferenceResult>
{
    public override async Task<PollInferenceResult> ExecuteAsync(PollInferenceInput input, CancellationToken cancellationToken)
    {
        var poll = await runware.GetResponseAsync(input.TaskUuid, input.ExpectedResults, cancellationToken).ConfigureAwait(false);
        switch (poll.Status)
        {
            case PollStatus.Success:
                Done(input.TaskUuid);
                return new PollInferenceResult("success", poll.Images.Select(i => new GeneratedResult(i.ImageUUID, i.ImageURL, i.Seed, i.Cost)).ToList(), null);
            case PollStatus.Error:
                Done(input.TaskUuid);
                var e = poll.Error;
                return new PollInferenceResult("error", [], new FluxError(e?.Code ?? "inferenceFailed", e?.Message ?? "Runware reported an error for the inference.", e?.Parameter));
            case PollStatus.Unknown:
                Done(input.TaskUuid);
                return new PollInferenceResult("error", [], new FluxError("taskNotFound", $"Runware no longer knows task {input.TaskUuid}; its result may have expired."));
            default:
                timings.Polled(input.TaskUuid, done: false);
                if (input.Final)
                {
                    slots.Release(input.TaskUuid);
                }

                return new PollInferenceResult("processing", [], null);
        }
    }

    private void Done(string taskUuid)
    {
        slots.Release(taskUuid);
        timings.Polled(taskUuid, done: true);
    }
}
