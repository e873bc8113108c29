using FluxFunctions.Errors;

namespace FluxFunctions.Runware;

/// <summary>
/// Runware refused a task for a reason retrying will not fix: a validation error (HTTP 400 with codes such as
/// <c>invalidParameter</c> or <c>invalidPositivePrompt</c>) or a rejected API key (HTTP 401/403 <c>invalidApiKey</c>).
/// Never retried. Each <see cref="RunwareError"/> becomes a <see cref="FluxError"/> (code, message, parameter) in
/// <see cref="PermanentFluxException.Errors"/>, so the parameter Runware named reaches the user.
/// </summary>
public sealed class RunwareRejectedException : PermanentFluxException
{
    /// <summary>Creates the exception from Runware's errors (messages already free of secrets).</summary>
    /// <param name="errors">At least one error.</param>
    /// <param name="statusCode">The HTTP status Runware answered with.</param>
    /// <param name="taskType">The task that was refused.</param>
    /// <param name="taskUuid">Its taskUUID.</param>
    public RunwareRejectedException(IReadOnlyList<RunwareError> errors, int? statusCode = null, string? taskType = null, string? taskUuid = null)
        : base(ToFluxErrors(errors))
    {
        RunwareErrors = errors;
        StatusCode = statusCode;
        TaskType = taskType;
        TaskUUID = taskUuid;
    }

    public RunwareRejectedException()
        : this([new RunwareError(ErrorCodes.RunwareProtocol, "Runware refused the request.")])
    {
    }

    public RunwareRejectedException(string message)
        : this([new RunwareError(ErrorCodes.RunwareProtocol, message)])
    {
    }

    public RunwareRejectedException(string message, Exception inner)
        : base(new FluxError(ErrorCodes.RunwareProtocol, message), inner)
    {
        RunwareErrors = [new RunwareError(ErrorCodes.RunwareProtocol, message)];
    }

    /// <summary>Runware's errors as it sent them (code, message, parameter, task type and UUID).</summary>
    public IReadOnlyList<RunwareError> RunwareErrors { get; }

    /// <summary>The HTTP status code of Runware's answer, e.g. 400 or 401.</summary>
    public int? StatusCode { get; }

    /// <summary>The task type that was refused, e.g. <c>imageInference</c>.</summary>
    public string? TaskType { get; }

    /// <summary>The taskUUID that was refused.</summary>
    public string? TaskUUID { get; }

    private static List<FluxError> ToFluxErrors(IReadOnlyList<RunwareError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return [.. errors.Select(e => SafetyRefusals.ToFluxError(e.Code, e.Message, e.Parameter))];
    }
}
