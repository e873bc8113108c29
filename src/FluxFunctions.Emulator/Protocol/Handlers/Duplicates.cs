using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>Registers task UUIDs; a UUID seen before (any task type) is rejected with <c>duplicateTaskUUID</c>.</summary>
internal sealed class Duplicates(TaskRegistry registry, EmulatorStats stats)
{
    /// <summary>Registers the task, or returns the duplicate rejection.</summary>
    public HandledTask? Register(TaskHeader header, InferenceJob? job = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (registry.TryRegister(header.TaskUuid, new RegisteredTask(header.TaskType, job)))
        {
            return null;
        }

        stats.DuplicateSubmission();
        return HandledTask.Done(TaskOutcome.Reject(new RunwareError(
            ErrorCodes.DuplicateTaskUuid,
            $"Task UUID {header.TaskUuidText} was already used; nothing new was started. Give every task a fresh UUIDv4, and poll an async inference with getResponse.",
            "taskUUID",
            header.TaskType,
            header.TaskUuidText)));
    }
}
