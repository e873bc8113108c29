namespace FluxFunctions.Emulator.Protocol;

/// <summary>Runware error codes the emulator answers with (camelCase, as Runware standardises them).</summary>
internal static class ErrorCodes
{
    public const string InvalidRequestBody = "invalidRequestBody";
    public const string InvalidApiKey = "invalidApiKey";
    public const string InvalidParameter = "invalidParameter";
    public const string MissingParameter = "missingParameter";
    public const string UnsupportedParameter = "unsupportedParameter";
    public const string InvalidTaskType = "invalidTaskType";
    public const string InvalidTaskUuid = "invalidTaskUUID";
    public const string DuplicateTaskUuid = "duplicateTaskUUID";
    public const string ConflictTaskUuid = "conflictTaskUUID";
    public const string InvalidModel = "invalidModel";
    public const string InvalidPositivePrompt = "invalidPositivePrompt";
    public const string TaskNotFound = "taskNotFound";
    public const string TaskFailedOrNotFound = "taskFailedOrNotFound";
    public const string NotFound = "notFound";
    public const string InferenceFailed = "inferenceFailed";
    public const string ResultExpired = "resultExpired";
    public const string RateLimitExceeded = "rateLimitExceeded";
    public const string InternalServerError = "internalServerError";
    public const string BadGateway = "badGateway";
    public const string TimeoutProvider = "timeoutProvider";
    public const string InvalidEmulatorFault = "invalidEmulatorFault";
    public const string RequestTooLarge = "requestTooLarge";
    public const string InsufficientCredits = "insufficientCredits";
    public const string AccessDenied = "accessDenied";
    public const string ImageNotFound = "imageNotFound";

    /// <summary>A result the content check flagged, refused (dialect <c>FlaggedAnswer: error</c>; a code of Runware's SDKs).</summary>
    public const string NsfwContentDetected = "nsfwContentDetected";

    /// <summary>The specific code for a bad value of a parameter: <c>invalid</c> + its name (<c>width</c> → <c>invalidWidth</c>).</summary>
    /// <param name="parameter">The parameter, possibly a path such as <c>ipAdapters[0].guideImage</c> (the last name counts).</param>
    public static string InvalidFor(string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(parameter);
        var leaf = parameter[(parameter.LastIndexOf('.') + 1)..];
        var bracket = leaf.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            leaf = leaf[..bracket];
        }

        return leaf.Length == 0 ? InvalidParameter : "invalid" + char.ToUpperInvariant(leaf[0]) + leaf[1..];
    }
}
