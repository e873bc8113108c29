namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>One attempt to run an inference: a slot, the submission, the result watched for a while (<see cref="InferenceRunner"/>).</summary>
public sealed class RunInference(InferenceRunner runner) : FluxActivity<InferenceRequest, InferenceAttempt>
{
    public override Task<InferenceAttempt> ExecuteAsync(InferenceRequest input, CancellationToken cancellationToken) =>
        runner.AttemptAsync(input, cancellationToken);
}
