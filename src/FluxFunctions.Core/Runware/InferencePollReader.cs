using System.Text.Json.Nodes;

namespace FluxFunctions.Core.Runware;

/// <summary>
/// Turns a <c>getResponse</c> answer into an <see cref="InferencePoll"/>: <see cref="PollStatus.Success"/> only when
/// the expected number of generations succeeded, <see cref="PollStatus.Error"/> as soon as one failed,
/// <see cref="PollStatus.Unknown"/> when Runware does not know the task, otherwise <see cref="PollStatus.Processing"/>
/// (with the generations finished so far).
/// </summary>
internal static class InferencePollReader
{
    public static InferencePoll Read(RunwareAnswer answer, string taskUuid, int expectedResults)
    {
        ArgumentNullException.ThrowIfNull(answer);

        var errors = answer.Errors.Where(e => e.Error.TaskUUID is null || Same(e.Error.TaskUUID, taskUuid)).ToList();
        var generationErrors = errors.Where(e => e.IsGenerationError || answer.StatusCode is >= 200 and < 300).ToList();

        if (errors.Count > 0 && errors.Any(e => RunwareErrorCodes.IsNotFound(e.Error)) && !errors.Any(e => e.IsGenerationError))
        {
            return new InferencePoll(PollStatus.Unknown, []);
        }

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

            throw new RunwareRejectedException(refused, answer.StatusCode, "getResponse", taskUuid);
        }

        var images = new List<GeneratedImage>();
        RunwareError? failed = generationErrors.FirstOrDefault()?.Error;
        foreach (var entry in answer.Data)
        {
            var entryUuid = RunwareAnswerParser.String(entry, "taskUUID");
            if (entryUuid is not null && !Same(entryUuid, taskUuid))
            {
                continue;
            }

            var status = RunwareAnswerParser.String(entry, "status");
            if (IsSuccess(status, entry))
            {
                images.Add(ReadImage(entry, taskUuid));
            }
            else if (IsError(status))
            {
                failed ??= new RunwareError(
                    RunwareAnswerParser.String(entry, "code") ?? RunwareAnswerParser.String(entry, "errorCode") ?? RunwareErrorCodes.InferenceFailed,
                    RunwareAnswerParser.String(entry, "message") ?? RunwareAnswerParser.String(entry, "errorMessage") ?? "The inference failed on Runware.",
                    RunwareAnswerParser.String(entry, "parameter"),
                    RunwareAnswerParser.String(entry, "taskType"),
                    taskUuid);
            }
        }

        if (failed is not null)
        {
            return new InferencePoll(PollStatus.Error, images, failed);
        }

        return new InferencePoll(images.Count >= expectedResults ? PollStatus.Success : PollStatus.Processing, images);
    }

    public static GeneratedImage ReadImage(JsonObject entry, string taskUuid) => new(
        RunwareAnswerParser.String(entry, "taskUUID") ?? taskUuid,
        RunwareAnswerParser.String(entry, "imageUUID"),
        RunwareAnswerParser.String(entry, "imageURL"),
        RunwareAnswerParser.Long(entry, "seed"),
        RunwareAnswerParser.Double(entry, "cost"),
        RunwareAnswerParser.Bool(entry, "NSFWContent"));

    private static bool IsSuccess(string? status, JsonObject entry) =>
        string.Equals(status, "success", StringComparison.OrdinalIgnoreCase)
        || string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase)
        || (status is null && (entry["imageUUID"] is not null || entry["imageURL"] is not null));

    private static bool IsError(string? status) =>
        string.Equals(status, "error", StringComparison.OrdinalIgnoreCase)
        || string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
