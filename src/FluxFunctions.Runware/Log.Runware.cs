using Microsoft.Extensions.Logging;

namespace FluxFunctions.Runware;

/// <summary>Runware client messages, event ids 1100–1199. They carry task types, task UUIDs, HTTP status codes,
/// Runware error codes, attempts and delays; never the API key, never image data.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Runware {TaskType} task {TaskUUID}: sending")]
    public static partial void RunwareSending(this ILogger logger, string taskType, string taskUuid);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Runware {TaskType} task {TaskUUID}: HTTP {StatusCode} in {ElapsedMs} ms")]
    public static partial void RunwareAnswered(this ILogger logger, string taskType, string taskUuid, int statusCode, long elapsedMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Runware {TaskType} task {TaskUUID}: attempt {Attempt} failed (HTTP {StatusCode}, code {Code}); retrying in {DelayMs} ms")]
    public static partial void RunwareRetrying(this ILogger logger, string taskType, string taskUuid, int attempt, int? statusCode, string code, long delayMs);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Runware rejected {TaskType} task {TaskUUID}: HTTP {StatusCode}, code {Code}, parameter {Parameter}: {RunwareMessage}")]
    public static partial void RunwareRejected(this ILogger logger, string taskType, string taskUuid, int statusCode, string code, string? parameter, string runwareMessage);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Runware {TaskType} task {TaskUUID} failed transiently: HTTP {StatusCode}, code {Code}")]
    public static partial void RunwareTransientFailure(this ILogger logger, string taskType, string taskUuid, int? statusCode, string code);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Error, Message = "Runware circuit opened for {BreakSeconds} s after repeated failures (last: {Code}); calls fail fast until then")]
    public static partial void RunwareCircuitOpened(this ILogger logger, double breakSeconds, string code);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "Runware circuit half-open: probing with the next call")]
    public static partial void RunwareCircuitHalfOpened(this ILogger logger);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Information, Message = "Runware circuit closed: calls flow again")]
    public static partial void RunwareCircuitClosed(this ILogger logger);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Warning, Message = "Runware {TaskType} task {TaskUUID}: failing fast, the circuit is open")]
    public static partial void RunwareCircuitRejected(this ILogger logger, string taskType, string taskUuid);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "Runware imageInference task {TaskUUID}: an earlier submit may have reached Runware; asking getResponse and getTaskDetails first")]
    public static partial void RunwareSubmitCheck(this ILogger logger, string taskUuid);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Information, Message = "Runware imageInference task {TaskUUID}: already known to Runware ({Evidence}); not submitting (or paying) again")]
    public static partial void RunwareSubmitAlreadyKnown(this ILogger logger, string taskUuid, string evidence);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Information, Message = "Runware imageInference task {TaskUUID}: Runware shows no sign of it ({Evidence}); submitting it")]
    public static partial void RunwareSubmitResubmitting(this ILogger logger, string taskUuid, string evidence);

    [LoggerMessage(EventId = 1123, Level = LogLevel.Information, Message = "Runware imageInference task {TaskUUID}: accepted")]
    public static partial void RunwareSubmitAccepted(this ILogger logger, string taskUuid);

    [LoggerMessage(EventId = 1130, Level = LogLevel.Debug, Message = "Runware task {TaskUUID}: {Succeeded}/{Expected} generations done, status {Status}")]
    public static partial void RunwarePolled(this ILogger logger, string taskUuid, int succeeded, int expected, string status);

    [LoggerMessage(EventId = 1131, Level = LogLevel.Warning, Message = "Runware task {TaskUUID}: generation failed with code {Code}: {RunwareMessage}")]
    public static partial void RunwareGenerationFailed(this ILogger logger, string taskUuid, string code, string runwareMessage);

    [LoggerMessage(EventId = 1132, Level = LogLevel.Information, Message = "Runware {TaskType} task {TaskUUID}: the taskUUID is already in use; resending with a fresh one")]
    public static partial void RunwareFreshTaskUuid(this ILogger logger, string taskType, string taskUuid);

    [LoggerMessage(EventId = 1140, Level = LogLevel.Debug, Message = "Runware result download from {Host}: {Bytes} bytes, {ContentType}")]
    public static partial void RunwareDownloaded(this ILogger logger, string host, long bytes, string? contentType);

    [LoggerMessage(EventId = 1141, Level = LogLevel.Warning, Message = "Runware result download from {Host} refused: {Reason}")]
    public static partial void RunwareDownloadRefused(this ILogger logger, string host, string reason);
}
