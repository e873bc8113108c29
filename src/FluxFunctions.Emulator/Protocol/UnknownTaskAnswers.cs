using System.Collections.Frozen;
using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// The answer of getResponse or getTaskDetails for a taskUUID the emulator does not know, in each
/// <see cref="UnknownTaskDialect"/>: an error (with its code, HTTP status and whether it names taskUUID) or nothing.
/// </summary>
internal static class UnknownTaskAnswers
{
    private static readonly FrozenDictionary<UnknownTaskDialect, Answer?> Answers = new Dictionary<UnknownTaskDialect, Answer?>
    {
        [UnknownTaskDialect.TaskNotFound] = new(StatusCodes.Status400BadRequest, ErrorCodes.TaskNotFound, "taskUUID",
            h => $"No task with taskUUID {h.TaskUuidText} is known (never submitted, not one {h.TaskType} reports on, forgotten, or not visible yet)."),
        [UnknownTaskDialect.Empty] = null,
        [UnknownTaskDialect.Http400] = new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidParameter, "taskUUID",
            h => $"Invalid value for 'taskUUID': {h.TaskUuidText} does not match any task of this account."),
        [UnknownTaskDialect.Http404] = new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, null,
            h => $"Task {h.TaskUuidText} not found."),
        [UnknownTaskDialect.TaskFailedOrNotFound] = new(StatusCodes.Status400BadRequest, ErrorCodes.TaskFailedOrNotFound, "taskUUID",
            h => $"Task {h.TaskUuidText} failed or was not found."),
    }.ToFrozenDictionary();

    /// <summary>What the task asking about <paramref name="header"/>'s UUID contributes in this dialect.</summary>
    public static TaskOutcome For(UnknownTaskDialect dialect, TaskHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (Answers[dialect] is not { } answer)
        {
            return TaskOutcome.Ok();
        }

        return TaskOutcome.Reject(new RunwareError(answer.Code, answer.Message(header), answer.Parameter, header.TaskType, header.TaskUuidText), answer.Status);
    }

    /// <summary>An error answer: its HTTP status, code, parameter (or none) and message.</summary>
    private sealed record Answer(int Status, string Code, string? Parameter, Func<TaskHeader, string> Message);
}
