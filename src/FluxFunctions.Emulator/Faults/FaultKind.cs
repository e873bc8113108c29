namespace FluxFunctions.Emulator.Faults;

/// <summary>A fault the emulator can inject into one HTTP request.</summary>
internal enum FaultKind
{
    /// <summary>No fault: the request is served normally.</summary>
    None,

    /// <summary>HTTP 429 with <c>Retry-After</c>; nothing processed.</summary>
    RateLimited,

    /// <summary>HTTP 500; nothing processed.</summary>
    ServerError,

    /// <summary>No answer until <c>HangMs</c> passes or the client disconnects; nothing processed.</summary>
    Hang,

    /// <summary>HTTP 200 with a truncated JSON body; nothing processed.</summary>
    Malformed,

    /// <summary>The tasks are processed, then HTTP 502: the answer is lost on the way back.</summary>
    Lost,
}

/// <summary>The names of fault kinds in settings, headers and stats.</summary>
internal static class FaultNames
{
    /// <summary>The injectable kinds in a stable order (settings, stats).</summary>
    public static readonly IReadOnlyList<FaultKind> All =
        [FaultKind.RateLimited, FaultKind.ServerError, FaultKind.Hang, FaultKind.Malformed, FaultKind.Lost];

    /// <summary>The name of a kind: <c>429</c>, <c>500</c>, <c>hang</c>, <c>malformed</c> or <c>lost</c>.</summary>
    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.RateLimited => "429",
        FaultKind.ServerError => "500",
        FaultKind.Hang => "hang",
        FaultKind.Malformed => "malformed",
        FaultKind.Lost => "lost",
        _ => "none",
    };

    /// <summary>Parses a kind name (case-insensitive, surrounding spaces ignored).</summary>
    public static bool TryParse(string? text, out FaultKind kind)
    {
        var trimmed = text?.Trim();
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = FaultKind.None;
        return false;
    }

    /// <summary>The accepted names for error messages.</summary>
    public static string Accepted => string.Join(", ", All.Select(Name));
}
