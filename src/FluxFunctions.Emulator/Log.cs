namespace FluxFunctions.Emulator;

/// <summary>The emulator's log messages (event ids 3000–3999). Never logs the API key or image data.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Runware emulator listening on {Urls} (POST /v1): latency {LatencyMs} ms, round trip {RoundTripMs} ms, faults {Faults}, auth {Auth}, sizes {MinDimension}-{MaxDimension}, fill drift {FillDrift}")]
    public static partial void Started(ILogger logger, string urls, int latencyMs, int roundTripMs, string faults, string auth, int minDimension, int maxDimension, int fillDrift);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{Method} {Path} answered {Status} ({Bytes} bytes, fault {Fault}) in {ElapsedMs} ms")]
    public static partial void RequestHandled(ILogger logger, string method, string path, int status, long bytes, string fault, long elapsedMs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Injecting fault {Fault} into request {Seq}")]
    public static partial void FaultInjected(ILogger logger, string fault, long seq);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Request {Seq} rejected: missing or wrong API key")]
    public static partial void Unauthorized(ILogger logger, long seq);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "{TaskType} {TaskUuid} rejected: {Code} ({Parameter}): {Message}")]
    public static partial void TaskRejected(ILogger logger, string? taskType, string? taskUuid, string code, string? parameter, string message);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Inference {TaskUuid} accepted ({Model}, {Width}x{Height}, {NumberResults} results, {Delivery})")]
    public static partial void InferenceAccepted(ILogger logger, string taskUuid, string model, int width, int height, int numberResults, string delivery);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Inference {TaskUuid} finished: {Outcome}")]
    public static partial void InferenceFinished(ILogger logger, string taskUuid, string outcome);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Inference {TaskUuid} crashed while rendering")]
    public static partial void InferenceCrashed(ILogger logger, Exception exception, string taskUuid);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Webhook to {Url} for task {TaskUuid} failed after {Attempts} attempts: {Reason}")]
    public static partial void WebhookFailed(ILogger logger, string url, string taskUuid, int attempts, string reason);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Webhook queue full; dropped the delivery for task {TaskUuid}")]
    public static partial void WebhookQueueFull(ILogger logger, string taskUuid);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Request {Seq} ended early: the client disconnected")]
    public static partial void ClientDisconnected(ILogger logger, long seq);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "{TaskType} {TaskUuid} repeats a known taskUUID; accepted and run again (dialect DuplicateTask accept)")]
    public static partial void DuplicateAccepted(ILogger logger, string taskType, string taskUuid);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Debug, Message = "Inference {TaskUuid} acknowledged and forgotten ({Reason}); it will not run")]
    public static partial void TaskForgotten(ILogger logger, string taskUuid, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Debug, Message = "{TaskType} for unknown task {TaskUuid} answered as {Dialect}")]
    public static partial void UnknownTaskAnswered(ILogger logger, string taskType, string taskUuid, string dialect);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information,
        Message = "Runware emulator dialect: unknown task {UnknownTask}, duplicate task {DuplicateTask}, webhook shape {WebhookShape}, visible after {VisibleAfterMs} ms, result ttl {ResultTtlSeconds} s")]
    public static partial void DialectInForce(ILogger logger, string unknownTask, string duplicateTask, string webhookShape, int visibleAfterMs, int resultTtlSeconds);
}
