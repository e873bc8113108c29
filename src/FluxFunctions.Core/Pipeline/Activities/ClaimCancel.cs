namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Claims a job canceled while <see cref="PrepareInputs"/> ran (<see cref="JobEndClaim"/>): true when the cancel stands;
/// false when that activity had already begun storing the results, and so the job completes.
/// </summary>
public sealed class ClaimCancel(JobEndClaim claim) : FluxActivity<ClaimCancelInput, bool>
{
    public override Task<bool> ExecuteAsync(ClaimCancelInput input, CancellationToken cancellationToken) =>
        claim.TryClaimAsync(input.JobId, JobEnd.Cancel, cancellationToken);
}
