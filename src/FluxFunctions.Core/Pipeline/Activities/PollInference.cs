using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// A durable poll of an inference the job waits for: <c>getResponse</c> at once, then, while the result is not in, in
/// process for up to <see cref="PollInferenceInput.WatchSeconds"/> (<see cref="ResultWatch"/>), so a result is seen tens of
/// milliseconds after it is in rather than a durable timer later; gives its slot back when the result is in (or the job
/// gives up). A first poll after a submission on this host tunes when first polls come (<see cref="InferenceTimings"/>).
/// </summary>
public sealed class PollInference(IRunwareClient runware, ResultWatch watch, InferenceSlots slots, InferenceTimings timings) : FluxActivity<PollInferenceInput, PollInferenceResult>
{
    public override async Task<PollInferenceResult> ExecuteAsync(PollInferenceInput input, CancellationToken cancellationToken)
    {
        var result = PollResults.From(await runware.GetResponseAsync(input.TaskUuid, input.ExpectedResults, cancellationToken).ConfigureAwait(false));
        timings.Polled(input.TaskUuid, result.IsFinal);
        if (!result.IsFinal && !input.Final && input.WatchSeconds > 0)
        {
            result = (await watch.WatchAsync(input.TaskUuid, input.ExpectedResults, TimeSpan.FromSeconds(input.WatchSeconds), TimeSpan.Zero, cancellationToken).ConfigureAwait(false)).Last ?? result;
        }

        if (result.IsFinal || input.Final)
        {
            await slots.ReleaseAsync(input.TaskUuid, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
