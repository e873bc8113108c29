using System.Collections.Frozen;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>
/// Registers task UUIDs (with the copy of the task getTaskDetails reports). A UUID seen before (any task type) gets what
/// <c>Emulator:DuplicateTask</c> says: rejected with <c>duplicateTaskUUID</c> or <c>conflictTaskUUID</c>, or accepted
/// again, the new task replacing the old one.
/// </summary>
internal sealed class Duplicates(TaskRegistry registry, Dialect dialect, EmulatorStats stats, ILogger<Duplicates> logger)
{
    private static readonly FrozenDictionary<DuplicateTaskDialect, Rejection?> Rejections = new Dictionary<DuplicateTaskDialect, Rejection?>
    {
        [DuplicateTaskDialect.Reject] = new(ErrorCodes.DuplicateTaskUuid,
            h => $"Task UUID {h.TaskUuidText} was already used; nothing new was started. Give every task a fresh UUIDv4, and poll an async inference with getResponse."),
        [DuplicateTaskDialect.RejectOtherCode] = new(ErrorCodes.ConflictTaskUuid,
            h => $"A task with taskUUID {h.TaskUuidText} already exists."),
        [DuplicateTaskDialect.Accept] = null,
    }.ToFrozenDictionary();

    /// <summary>Registers the task; returns null when it may run, else its rejection.</summary>
    /// <param name="header">The task's header.</param>
    /// <param name="fields">The task (its copy is kept for getTaskDetails).</param>
    /// <param name="job">The inference, for imageInference.</param>
    public HandledTask? Register(TaskHeader header, TaskFields fields, InferenceJob? job = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(fields);
        var task = new RegisteredTask(header.TaskType, RequestCopy(fields), job);
        return registry.TryRegister(header.TaskUuid, task) ? null : Repeated(header, () => registry.Replace(header.TaskUuid, task));
    }

    /// <summary>
    /// Checks a task that will be forgotten instead of registered: null when it may go on; a known UUID is still a
    /// duplicate (and when duplicates are accepted, the old task is forgotten with it).
    /// </summary>
    public HandledTask? CheckForgotten(TaskHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return registry.TryGet(header.TaskUuid, out _) ? Repeated(header, () => registry.Remove(header.TaskUuid)) : null;
    }

    private static string RequestCopy(TaskFields fields) =>
        new JsonArray(JsonRedactor.ForTaskDetails(fields.Source)).ToJsonString(JsonOutput.Options);

    private HandledTask? Repeated(TaskHeader header, Action accept)
    {
        if (Rejections[dialect.DuplicateTask] is { } rejection)
        {
            stats.DuplicateRejected();
            return HandledTask.Done(TaskOutcome.Reject(new RunwareError(rejection.Code, rejection.Message(header), "taskUUID", header.TaskType, header.TaskUuidText)));
        }

        accept();
        stats.DuplicateAccepted();
        Log.DuplicateAccepted(logger, header.TaskType, header.TaskUuidText);
        return null;
    }

    /// <summary>A rejecting dialect's code and message.</summary>
    private sealed record Rejection(string Code, Func<TaskHeader, string> Message);
}
