using System.Text.Json.Nodes;

namespace FluxFunctions.Runware;

/// <summary>
/// Turns a <c>getResponse</c> answer into an <see cref="InferencePoll"/>. Runware documents the answer for a task that
/// exists: one entry per generation with <c>status</c> <c>processing</c>, <c>success</c> or <c>error</c>
/// (runware.ai/docs/platform/task-polling). So <see cref="PollStatus.Success"/> only when the expected number of
/// generations succeeded, <see cref="PollStatus.Error"/> as soon as one failed, <see cref="PollStatus.Processing"/> while
/// an entry shows the task running, and <see cref="PollStatus.Silent"/> for every answer that shows no entry for it (an
/// empty <c>data</c>, <c>taskNotFound</c>, or a refusal naming its taskUUID, HTTP 400 or 404, whatever the code): the docs
/// do not say how Runware answers for a taskUUID it does not know, so no such answer may pass for "processing".
/// Transient refusals throw <see cref="RunwareTransientException"/>; refusals of the account or of another parameter
/// throw <see cref="RunwareRejectedException"/>.
/// </summary>
public static class InferencePollReader
{
    public static InferencePoll Read(RunwareAnswer answer, string taskUuid, int expectedResults)
    {
        ArgumentNullException.ThrowIfNull(answer);

        var errors = answer.Errors.Where(e => e.Error.TaskUUID is null || Same(e.Error.TaskUUID, taskUuid)).ToList();
        var generationErrors = errors.Where(e => e.IsGenerationError || answer.StatusCode is >= 200 and < 300).ToList();
        var refused = errors.Except(generationErrors).Select(e => e.Error).ToList();
        if (refused.Count > 0)
        {
            if (refused.All(e => RunwareErrorCodes.IsTransient(e.Code)))
            {
                throw new RunwareTransientException(
                    $"Runware could not answer getResponse for task {taskUuid} now: {refused[0].Code}: {refused[0].Message}",
                    answer.StatusCode,
                    refused[0].Code);
            }

            if (!refused.All(e => RefusesAsUnknown(e, answer.StatusCode)))
            {
                throw new RunwareRejectedException(refused, answer.StatusCode, "getResponse", taskUuid);
            }
        }

        var images = new List<GeneratedImage>();
        var entries = 0;
        RunwareError? failed = generationErrors.FirstOrDefault(e => e.IsGenerationError || !RunwareErrorCodes.IsNotFound(e.Error))?.Error;
        foreach (var entry in answer.Data)
        {
            var entryUuid = RunwareAnswerParser.String(entry, "taskUUID");
            if (entryUuid is not null && !Same(entryUuid, taskUuid))
            {
                continue;
            }

            entries++;
            var status = RunwareAnswerParser.String(entry, "status");
            if (IsSuccess(status, entry))
            {
                images.Add(ReadImage(entry, taskUuid));
            }
            else if (IsError(status))
            {
                // The error sits on the entry itself (older docs) or in its "error" object (current schema).
                var detail = entry["error"] as JsonObject ?? entry;
                failed ??= new RunwareError(
                    RunwareAnswerParser.String(detail, "code") ?? RunwareAnswerParser.String(detail, "errorCode") ?? RunwareErrorCodes.InferenceFailed,
                    RunwareAnswerParser.String(detail, "message") ?? RunwareAnswerParser.String(detail, "errorMessage") ?? "The inference failed on Runware.",
                    RunwareAnswerParser.String(detail, "parameter") ?? RunwareAnswerParser.String(entry, "parameter"),
                    RunwareAnswerParser.String(entry, "taskType"),
                    taskUuid);
            }
        }

        if (failed is not null)
        {
            return new InferencePoll(PollStatus.Error, images, failed);
        }

        if (images.Count >= expectedResults)
        {
            return new InferencePoll(PollStatus.Success, images);
        }

        if (entries > 0)
        {
            return new InferencePoll(PollStatus.Processing, images);
        }

        var said = errors.FirstOrDefault()?.Error is { } e ? $"{e.Code}: {e.Message}" : "no entry for the task";
        return new InferencePoll(PollStatus.Silent, [], null, $"getResponse answered HTTP {answer.StatusCode}, {said}");
    }

    public static GeneratedImage ReadImage(JsonObject entry, string taskUuid) => new(
        RunwareAnswerParser.String(entry, "taskUUID") ?? taskUuid,
        RunwareAnswerParser.String(entry, "imageUUID"),
        RunwareAnswerParser.String(entry, "imageURL"),
        RunwareAnswerParser.Long(entry, "seed"),
        RunwareAnswerParser.Double(entry, "cost"),
        RunwareAnswerParser.Bool(entry, "NSFWContent"));

    /// <summary>
    /// A refusal that can only mean "no such task" for a request naming nothing but the taskUUID: a not-found code or
    /// message, HTTP 404, or an error naming the taskUUID or no parameter at all. Refusals of the account, or naming
    /// another parameter (the request itself is wrong), are not.
    /// </summary>
    private static bool RefusesAsUnknown(RunwareError error, int statusCode) =>
        !RunwareErrorCodes.IsAccount(error, statusCode)
        && !RunwareErrorCodes.IsTransient(error.Code)
        && (RunwareErrorCodes.IsNotFound(error) || statusCode == 404 || error.Parameter is null || RunwareErrorCodes.NamesTaskUuid(error));

    private static bool IsSuccess(string? status, JsonObject entry) =>
        string.Equals(status, "success", StringComparison.OrdinalIgnoreCase)
        || string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase)
        || (status is null && (entry["imageUUID"] is not null || entry["imageURL"] is not null));

    private static bool IsError(string? status) =>
        string.Equals(status, "error", StringComparison.OrdinalIgnoreCase)
        || string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
