using FluxFunctions.Emulator.Configuration;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>The plain counters of <c>GET /emulator/stats</c>.</summary>
internal enum Counter
{
    Requests,
    RequestBytes,
    InferencesAccepted,
    InferencesCharged,
    InferencesCompleted,
    InferencesFailed,
    DuplicatesRejected,
    DuplicatesAccepted,
    TasksForgotten,
    UnknownTaskAnswers,
    TaskDetailsRequests,
    Uploads,
    UploadBytes,
    Preprocesses,
    WebhooksDelivered,
    WebhooksFailed,
    ResultPolls,
    ResultsFetched,
    ResultFetchDelayMs,
    ResultsFetchedAtFirstPoll,
    ResultFetchAtFirstPollDelayMs,
    Refills,
    RefillDelayMs,
    ImagesServed,
}

/// <summary>The JSON names of the counters, in the order <c>GET /emulator/stats</c> lists them.</summary>
internal static class Counters
{
    public static NamedValues<Counter> Names { get; } = new(
        (Counter.Requests, "requests"),
        (Counter.RequestBytes, "requestBytes"),
        (Counter.InferencesAccepted, "inferencesAccepted"),
        (Counter.InferencesCharged, "inferencesCharged"),
        (Counter.InferencesCompleted, "inferencesCompleted"),
        (Counter.InferencesFailed, "inferencesFailed"),
        (Counter.DuplicatesRejected, "duplicatesRejected"),
        (Counter.DuplicatesAccepted, "duplicatesAccepted"),
        (Counter.TasksForgotten, "tasksForgotten"),
        (Counter.UnknownTaskAnswers, "unknownTaskAnswers"),
        (Counter.TaskDetailsRequests, "taskDetailsRequests"),
        (Counter.Uploads, "uploads"),
        (Counter.UploadBytes, "uploadBytes"),
        (Counter.Preprocesses, "preprocesses"),
        (Counter.WebhooksDelivered, "webhooksDelivered"),
        (Counter.WebhooksFailed, "webhooksFailed"),
        (Counter.ResultPolls, "resultPolls"),
        (Counter.ResultsFetched, "resultsFetched"),
        (Counter.ResultFetchDelayMs, "resultFetchDelayMs"),
        (Counter.ResultsFetchedAtFirstPoll, "resultsFetchedAtFirstPoll"),
        (Counter.ResultFetchAtFirstPollDelayMs, "resultFetchAtFirstPollDelayMs"),
        (Counter.Refills, "refills"),
        (Counter.RefillDelayMs, "refillDelayMs"),
        (Counter.ImagesServed, "imagesServed"));
}
