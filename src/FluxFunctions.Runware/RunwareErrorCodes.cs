using FluxFunctions.Errors;

namespace FluxFunctions.Runware;

/// <summary>
/// Runware error codes the client acts on, the codes it uses itself for failures without a Runware code, and the
/// rules that sort codes into "not found", "duplicate", "try later" and "refused".
/// </summary>
public static class RunwareErrorCodes
{
    /// <summary>Missing or wrong API key (HTTP 401/403).</summary>
    public const string InvalidApiKey = "invalidApiKey";

    /// <summary>getResponse for a taskUUID Runware does not know.</summary>
    public const string TaskNotFound = "taskNotFound";

    /// <summary>A taskUUID Runware already has.</summary>
    public const string DuplicateTaskUuid = "duplicateTaskUUID";

    /// <summary>The account has no credit left (HTTP 402; assumed code, the status is what counts).</summary>
    public const string InsufficientCredits = "insufficientCredits";

    /// <summary>The account or key may not do this (HTTP 403; assumed code).</summary>
    public const string AccessDenied = "accessDenied";

    /// <summary>A generation of an async inference failed.</summary>
    public const string InferenceFailed = "inferenceFailed";

    /// <summary>Ours: no answer within the attempt or total timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>Ours: the connection failed or broke.</summary>
    public const string ConnectionFailed = "connectionFailed";

    /// <summary>Ours: the answer was not the JSON Runware's protocol promises (truncated, not JSON, fields missing).</summary>
    public const string MalformedResponse = "malformedResponse";

    /// <summary>Ours: the circuit breaker is open; Runware is unavailable.</summary>
    public const string Unavailable = ErrorCodes.RunwareUnavailable;

    /// <summary>Ours: too many calls are waiting for a free connection slot (<c>Runware:MaxQueuedRequests</c>).</summary>
    public const string TooManyQueued = "tooManyQueuedRequests";

    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "timeoutProvider",
        "timeout",
        "providerTimeout",
        "requestTimeout",
        "gatewayTimeout",
        "rateLimitExceeded",
        "tooManyRequests",
        "internalServerError",
        "internalError",
        "serviceUnavailable",
        "providerUnavailable",
        "badGateway",
        "serverBusy",
        "overloaded",
    };

    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        TaskNotFound,
        "invalidTaskUUID",
        "taskUUIDNotFound",

        // The code the official SDKs map to "not found" (sdk-js, sdk-python); it also covers failed tasks.
        "taskFailedOrNotFound",
    };

    private static readonly HashSet<string> AccountCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        InvalidApiKey,
        InsufficientCredits,
        AccessDenied,
        "insufficientBalance",
        "paymentRequired",
        "forbidden",
        "accountSuspended",
    };

    /// <summary>True for codes that mean "try later": provider timeouts, rate limits, server errors.</summary>
    public static bool IsTransient(string code) =>
        TransientCodes.Contains(code) || code.StartsWith("timeout", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the error says Runware does not know the task (by code, or a message saying "not found").</summary>
    public static bool IsNotFound(RunwareError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return NotFoundCodes.Contains(error.Code) || error.Message.Contains("not found", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True when the error says the taskUUID is already in use: <c>conflictTaskUUID</c> (what the official SDKs expect from
    /// Runware), <c>duplicateTaskUUID</c>, or any code naming a conflict or a duplicate.
    /// </summary>
    public static bool IsDuplicate(RunwareError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code.Contains("duplicate", StringComparison.OrdinalIgnoreCase) || error.Code.Contains("conflict", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the error names the task's <c>taskUUID</c> as the problem (whatever its code).</summary>
    public static bool NamesTaskUuid(RunwareError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return string.Equals(error.Parameter, "taskUUID", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True when the error is about the account rather than the request: HTTP 401, 402 or 403, or a code such as
    /// <c>invalidApiKey</c> or <c>insufficientCredits</c>. Permanent for every task until someone fixes the account.
    /// </summary>
    public static bool IsAccount(RunwareError error, int? statusCode)
    {
        ArgumentNullException.ThrowIfNull(error);
        return statusCode is 401 or 402 or 403 || AccountCodes.Contains(error.Code) || error.Code.Contains("credit", StringComparison.OrdinalIgnoreCase);
    }
}
