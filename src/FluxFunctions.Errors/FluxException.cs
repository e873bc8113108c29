namespace FluxFunctions.Errors;

/// <summary>
/// A problem that retrying will not fix: bad input, a rule a tool forbids, a validation error from Runware.
/// Durable retry policies never retry it.
/// </summary>
public class PermanentFluxException : Exception
{
    public PermanentFluxException(IReadOnlyList<FluxError> errors)
        : base(Describe(errors))
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
    }

    public PermanentFluxException(FluxError error)
        : this([error])
    {
    }

    public PermanentFluxException(FluxError error, Exception inner)
        : base(Describe([error]), inner)
    {
        Errors = [error];
    }

    public PermanentFluxException()
        : this(new FluxError(ErrorCodes.Internal, "Unspecified error."))
    {
    }

    public PermanentFluxException(string message)
        : this(new FluxError(ErrorCodes.Internal, message))
    {
    }

    public PermanentFluxException(string message, Exception inner)
        : this(new FluxError(ErrorCodes.Internal, message), inner)
    {
    }

    public IReadOnlyList<FluxError> Errors { get; }

    public FluxError First => Errors[0];

    private static string Describe(IReadOnlyList<FluxError> errors) =>
        errors.Count == 0 ? "Invalid input." : string.Join("; ", errors.Select(e => e.ToString()));
}

/// <summary>A problem that may go away on its own (429, 5xx, timeouts, storage hiccups). Retried.</summary>
public class TransientFluxException : Exception
{
    public TransientFluxException()
    {
    }

    public TransientFluxException(string message)
        : base(message)
    {
    }

    public TransientFluxException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>How long the service asked us to wait, when it said so (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
