using FluxFunctions.Emulator.Configuration;

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

    /// <summary>HTTP 402 <c>insufficientCredits</c>: the account has no credit left; nothing processed.</summary>
    NoCredit,

    /// <summary>HTTP 403 <c>accessDenied</c>: the API key may not do this; nothing processed.</summary>
    Forbidden,

    /// <summary>The request's async inferences are acknowledged, then never run and forgotten; other tasks run normally.</summary>
    Forget,
}

/// <summary>The names of fault kinds in settings, headers and stats.</summary>
internal static class FaultNames
{
    private static readonly NamedValues<FaultKind> Names = new(
        (FaultKind.RateLimited, "429"),
        (FaultKind.ServerError, "500"),
        (FaultKind.Hang, "hang"),
        (FaultKind.Malformed, "malformed"),
        (FaultKind.Lost, "lost"),
        (FaultKind.NoCredit, "402"),
        (FaultKind.Forbidden, "403"),
        (FaultKind.Forget, "forget"));

    /// <summary>The injectable kinds in a stable order (settings, stats).</summary>
    public static IReadOnlyList<FaultKind> All { get; } = Names.All;

    /// <summary>The name of a kind: <c>429</c>, <c>500</c>, <c>hang</c>, <c>malformed</c>, <c>lost</c>, <c>402</c>, <c>403</c> or <c>forget</c>.</summary>
    public static string Name(FaultKind kind) => kind == FaultKind.None ? "none" : Names.Name(kind);

    /// <summary>Parses a kind name (case-insensitive, surrounding spaces ignored).</summary>
    public static bool TryParse(string? text, out FaultKind kind) => Names.TryParse(text, out kind);

    /// <summary>The accepted names for error messages.</summary>
    public static string Accepted => Names.Accepted;
}
