using FluxFunctions.Emulator.Configuration;

namespace FluxFunctions.Emulator.Dialects;

/// <summary>
/// How <c>getResponse</c> and <c>getTaskDetails</c> answer a taskUUID the emulator does not know (never seen,
/// forgotten, or not visible yet). Runware's docs are silent on it (<c>Emulator:UnknownTask</c>).
/// </summary>
internal enum UnknownTaskDialect
{
    /// <summary>HTTP 400 <c>taskNotFound</c> naming parameter taskUUID (the emulator's original answer).</summary>
    TaskNotFound,

    /// <summary>HTTP 200 with nothing for the task: <c>{"data":[]}</c>.</summary>
    Empty,

    /// <summary>HTTP 400 with a generic code (<c>invalidParameter</c>) naming taskUUID, whose message does not say "not found".</summary>
    Http400,

    /// <summary>HTTP 404 <c>notFound</c> without a parameter.</summary>
    Http404,

    /// <summary>HTTP 400 <c>taskFailedOrNotFound</c> naming taskUUID: the code Runware's own SDKs map to "not found".</summary>
    TaskFailedOrNotFound,
}

/// <summary>The setting names of <see cref="UnknownTaskDialect"/>.</summary>
internal static class UnknownTaskDialects
{
    public static NamedValues<UnknownTaskDialect> Names { get; } = new(
        (UnknownTaskDialect.TaskNotFound, "taskNotFound"),
        (UnknownTaskDialect.Empty, "empty"),
        (UnknownTaskDialect.Http400, "http400"),
        (UnknownTaskDialect.Http404, "http404"),
        (UnknownTaskDialect.TaskFailedOrNotFound, "taskFailedOrNotFound"));
}
