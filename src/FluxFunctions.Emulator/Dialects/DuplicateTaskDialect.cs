using FluxFunctions.Emulator.Configuration;

namespace FluxFunctions.Emulator.Dialects;

/// <summary>
/// What a task whose taskUUID the emulator already knows gets (any task type). Runware's docs are silent on it
/// (<c>Emulator:DuplicateTask</c>).
/// </summary>
internal enum DuplicateTaskDialect
{
    /// <summary>HTTP 400 <c>duplicateTaskUUID</c> naming taskUUID (the emulator's original answer).</summary>
    Reject,

    /// <summary>HTTP 400 <c>conflictTaskUUID</c> naming taskUUID: the code Runware's SDKs handle.</summary>
    RejectOtherCode,

    /// <summary>Accepted and run (and charged) again; the new task replaces the old one under that UUID.</summary>
    Accept,
}

/// <summary>The setting names of <see cref="DuplicateTaskDialect"/>.</summary>
internal static class DuplicateTaskDialects
{
    public static NamedValues<DuplicateTaskDialect> Names { get; } = new(
        (DuplicateTaskDialect.Reject, "reject"),
        (DuplicateTaskDialect.RejectOtherCode, "rejectOtherCode"),
        (DuplicateTaskDialect.Accept, "accept"));
}
