namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>The job's last step when the orchestration took the results (<see cref="JobFinisher"/>): results stored, then the manifest.</summary>
public sealed class FinishJob(JobFinisher finisher) : FluxActivity<FinishJobInput, FinishJobResult>
{
    public override Task<FinishJobResult> ExecuteAsync(FinishJobInput input, CancellationToken cancellationToken) =>
        finisher.FinishAsync(input.Facts, cancellationToken);
}
