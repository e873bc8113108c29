namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// A permanent account problem, as the faults <c>402</c>/<c>403</c> (for a whole request) and the prompt triggers
/// <c>emulator:no-credit</c>/<c>emulator:forbidden</c> (for one imageInference) answer it. Runware documents the statuses
/// (402 "Your account balance is insufficient", 403 "The API key doesn't have permissions to perform the request") but
/// not the codes; these are assumed.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Code">The error code.</param>
/// <param name="Message">What is wrong with the account and what to do.</param>
internal sealed record AccountError(int Status, string Code, string Message)
{
    /// <summary>HTTP 402: no credit left.</summary>
    public static AccountError NoCredit { get; } = new(StatusCodes.Status402PaymentRequired, ErrorCodes.InsufficientCredits,
        "Insufficient credits: the account's balance is exhausted, so nothing was run. Top up the account in the Runware dashboard (https://my.runware.ai) and send the task again.");

    /// <summary>HTTP 403: the API key may not do this.</summary>
    public static AccountError Forbidden { get; } = new(StatusCodes.Status403Forbidden, ErrorCodes.AccessDenied,
        "Access denied: the API key does not have permission to perform this request (the key is disabled or lacks the permission on this account). Check the key and its permissions in the Runware dashboard (https://my.runware.ai).");

    /// <summary>The error attributed to a task (or to none, for a whole request).</summary>
    public RunwareError ToError(string? taskType = null, string? taskUuid = null) => new(Code, Message, null, taskType, taskUuid);
}
