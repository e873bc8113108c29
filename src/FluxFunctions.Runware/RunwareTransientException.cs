using FluxFunctions.Errors;

namespace FluxFunctions.Runware;

/// <summary>
/// A Runware failure that may go away on its own: HTTP 408/429/5xx (including the 502 of an answer lost on the way
/// back), an attempt or total timeout, a connection failure, a malformed or truncated answer, a Runware code that
/// means "try later" (<c>timeoutProvider</c>, <c>rateLimitExceeded</c>, <c>internalServerError</c>,
/// <c>serviceUnavailable</c>, …) or an open circuit breaker (<see cref="Code"/> <c>runwareUnavailable</c>).
/// The client has already retried it as often as <c>Runware:MaxRetries</c> allows; durable retry policies may retry
/// the activity as a whole, waiting at least <see cref="TransientFluxException.RetryAfter"/> when set.
/// </summary>
public sealed class RunwareTransientException : TransientFluxException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed; never contains a secret.</param>
    /// <param name="statusCode">HTTP status, when an answer arrived.</param>
    /// <param name="code">Runware's error code or one of <see cref="RunwareErrorCodes"/>.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public RunwareTransientException(string message, int? statusCode, string code, Exception? inner = null)
        : base(message, inner!)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public RunwareTransientException()
        : this("Runware failed transiently.", null, ErrorCodes.RunwareUnavailable)
    {
    }

    public RunwareTransientException(string message)
        : this(message, null, ErrorCodes.RunwareUnavailable)
    {
    }

    public RunwareTransientException(string message, Exception inner)
        : this(message, null, ErrorCodes.RunwareUnavailable, inner)
    {
    }

    /// <summary>The HTTP status code of the failed answer; null for timeouts, connection failures and an open circuit.</summary>
    public int? StatusCode { get; }

    /// <summary>Runware's error code (e.g. <c>rateLimitExceeded</c>) or ours (<see cref="RunwareErrorCodes"/>).</summary>
    public string Code { get; }

    /// <summary>The error as a <see cref="FluxError"/>, for failure records.</summary>
    public FluxError ToFluxError() => new(Code, Message);
}
