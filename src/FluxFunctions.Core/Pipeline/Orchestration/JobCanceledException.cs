namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Thrown inside the orchestration when the job's cancel event (<see cref="EditOrchestrator.CancelEvent"/>) arrives while
/// it can still be canceled; the orchestration then ends the job as canceled, writes nothing and sends its callback.
/// </summary>
public sealed class JobCanceledException : Exception
{
    public JobCanceledException()
        : base("The job was canceled.")
    {
    }

    public JobCanceledException(string message)
        : base(message)
    {
    }

    public JobCanceledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
