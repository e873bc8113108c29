namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>Submits an inference once a slot is free, or queues it on this host (<see cref="InferenceSubmissions"/>).</summary>
public sealed class SubmitInference(InferenceSubmissions submissions) : FluxActivity<SubmitInferenceInput, SubmitInferenceResult>
{
    public override Task<SubmitInferenceResult> ExecuteAsync(SubmitInferenceInput input, CancellationToken cancellationToken) =>
        submissions.SubmitAsync(input, cancellationToken);
}
