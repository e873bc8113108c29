using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>
/// Finds the task a getResponse or getTaskDetails names, as a client may see it: an accepted async inference stays
/// invisible for <c>Emulator:VisibleAfterMs</c>. A task not found is answered per <c>Emulator:UnknownTask</c>.
/// </summary>
internal sealed class TaskLookup(TaskRegistry registry, Dialect dialect, EmulatorStats stats, ILogger<TaskLookup> logger)
{
    /// <summary>Finds a visible task by the UUID in <paramref name="header"/>.</summary>
    public bool TryFind(TaskHeader header, out RegisteredTask task)
    {
        ArgumentNullException.ThrowIfNull(header);
        return registry.TryGet(header.TaskUuid, out task) && IsVisible(task);
    }

    /// <summary>The answer for a task the emulator does not know (or not yet), in the dialect in force; counted.</summary>
    public HandledTask Unknown(TaskHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        stats.UnknownTaskAnswered();
        Log.UnknownTaskAnswered(logger, header.TaskType, header.TaskUuidText, UnknownTaskDialects.Names.Name(dialect.UnknownTask));
        return HandledTask.Done(UnknownTaskAnswers.For(dialect.UnknownTask, header));
    }

    private bool IsVisible(RegisteredTask task) =>
        dialect.VisibleAfterMs == 0
        || task.Job is not { Request.Async: true }
        || Environment.TickCount64 - task.AcceptedAtMs >= dialect.VisibleAfterMs;
}
