using FluxFunctions.Errors;

namespace FluxFunctions.Runware;

/// <summary>
/// Runware refusing content instead of returning it flagged: the safety codes Runware's SDKs know
/// (<c>contentPolicyViolation</c>, <c>nsfwContentDetected</c>, <c>promptBlocked</c>, <c>imageBlocked</c>; sdk-js and
/// sdk-python; when Runware sends them is not documented, so assumed) become <see cref="ErrorCodes.ContentFlagged"/>,
/// a permanent failure that is never retried, with Runware's code kept in the message. Any other error passes unchanged.
/// </summary>
public static class SafetyRefusals
{
    private static readonly HashSet<string> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        "contentPolicyViolation",
        "nsfwContentDetected",
        "promptBlocked",
        "imageBlocked",
    };

    /// <summary>True for a code that says Runware refused the content.</summary>
    public static bool IsSafetyCode(string? code) => code is not null && Codes.Contains(code);

    /// <summary>The error as the job reports it: <c>contentFlagged</c> for a safety refusal, else as Runware sent it.</summary>
    public static FluxError ToFluxError(string code, string message, string? parameter)
    {
        ArgumentNullException.ThrowIfNull(code);
        return IsSafetyCode(code)
            ? new FluxError(ErrorCodes.ContentFlagged, $"Runware refused the content ({code}): {message}", parameter ?? "safety")
            : new FluxError(code, message, parameter);
    }
}
