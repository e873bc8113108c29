using FluxFunctions.Core.Runware;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>One <c>getResponse</c> poll of an inference the job waits for; gives its slot back when the result is in (or the job gives up).</summary>
public sealed class PollInference(IRunwareClient runware, InferenceSlots slots) : FluxActivity<PollInferenceInput, PollInferenceResult>
{
    public override async Task<PollInferenceResult> ExecuteAsync(PollInferenceInput input, CancellationToken cancellationToken)
    {
        var result = PollResults.From(await runware.GetResponseAsync(input.TaskUuid, input.ExpectedResults, cancellationToken).ConfigureAwait(false));
        if (result.IsFinal || input.Final)
        {
            await slots.ReleaseAsync(input.TaskUuid, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
