namespace FluxFunctions.Runware;

/// <summary>
/// Reads a <c>getTaskDetails</c> answer as evidence that Runware has a task. Runware documents the answer for a task it
/// ran: the original <c>request</c> and <c>response</c> (runware.ai/docs/platform/task-details); it does not document the
/// answer for a taskUUID it does not know. So only an entry for the task carrying its request or response counts as
/// found; every other answer (no entry, an error, HTTP 400 or 404 with any code) is "not seen". Transient refusals
/// throw <see cref="RunwareTransientException"/>; a refusal of the account throws <see cref="RunwareRejectedException"/>.
/// </summary>
internal static class TaskDetailsReader
{
    public static TaskLookup Read(RunwareAnswer answer, string taskUuid)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var errors = answer.Errors.Select(e => e.Error).ToList();
        if (errors.Count > 0 && errors.All(e => RunwareErrorCodes.IsTransient(e.Code)))
        {
            throw new RunwareTransientException(
                $"Runware could not answer getTaskDetails for task {taskUuid} now: {errors[0].Code}: {errors[0].Message}",
                answer.StatusCode,
                errors[0].Code);
        }

        if (errors.Where(e => RunwareErrorCodes.IsAccount(e, answer.StatusCode)).ToList() is { Count: > 0 } account)
        {
            throw new RunwareRejectedException(account, answer.StatusCode, "getTaskDetails", taskUuid);
        }

        var found = answer.Data.Any(d =>
            (RunwareAnswerParser.String(d, "taskUUID") is not { } uuid || string.Equals(uuid, taskUuid, StringComparison.OrdinalIgnoreCase))
            && (d["request"] is not null || d["response"] is not null));
        if (found)
        {
            return new TaskLookup(true, "getTaskDetails returned its request");
        }

        var said = errors.Count > 0 ? $"{errors[0].Code}: {errors[0].Message}" : "no details of the task";
        return new TaskLookup(false, $"getTaskDetails answered HTTP {answer.StatusCode}, {said}");
    }
}
