using FluxFunctions.Core.Runware;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>One <c>getResponse</c> poll of an async inference; frees the inference slot when the result is in.</summary>
public sealed class PollInference(IRunwareClient runware, InferenceSlots slots, InferenceTimings timings) : FluxActivity<PollInferenceInput, PollInferenceResult>
{
    public override async Task<PollInferenceResult> ExecuteAsync(PollInferenceInput input, CancellationToken cancellationToken)
    {
        var poll = await runware.GetResponseAsync(input.TaskUuid, input.ExpectedResults, cancellationToken).ConfigureAwait(false);
        var result = PollResults.From(poll);
        if (result.IsFinal)
        {
            slots.Release(input.TaskUuid);
            timings.Polled(input.TaskUuid, done: true);
            return result;
        }

        timings.Polled(input.TaskUuid, done: false);
        if (input.Final)
        {
            slots.Release(input.TaskUuid);
        }

        return result;
    }
}
