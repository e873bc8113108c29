using System.Text.Json;
using FluxFunctions.Emulator.Protocol.Handlers;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// Runs the tasks of one request in order (so an upload is known to a later task of the same request), then waits for
/// the sync inferences, which run concurrently. Each task's errors stay its own; other tasks still run.
/// </summary>
internal sealed class TaskDispatcher(IEnumerable<ITaskHandler> handlers, ResultEntries entries, ILogger<TaskDispatcher> logger)
{
    private readonly Dictionary<string, ITaskHandler> byType = handlers.ToDictionary(h => h.TaskType, StringComparer.Ordinal);

    /// <summary>Runs every task; the outcomes are in task order.</summary>
    public async Task<IReadOnlyList<TaskOutcome>> RunAsync(IReadOnlyList<JsonElement> tasks, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(context);
        var handled = new List<HandledTask>(tasks.Count);
        foreach (var task in tasks)
        {
            var type = TaskHeader.ReadType(task);
            if (type == TaskTypes.Authentication)
            {
                continue; // Checked with the Authorization header before any task runs; it has no result.
            }

            handled.Add(await HandleOneAsync(task, type, context, cancellationToken));
        }

        var outcomes = new List<TaskOutcome>(handled.Count);
        foreach (var item in handled)
        {
            var outcome = item.Outcome;
            if (item.AwaitedJob is { } job)
            {
                await job.Completion.WaitAsync(cancellationToken);
                outcome = entries.ForJob(job, context.PublicBaseUrl, withStatus: false);
            }

            foreach (var error in outcome!.Errors)
            {
                Log.TaskRejected(logger, error.TaskType, error.TaskUuid, error.Code, error.Parameter, error.Message);
            }

            outcomes.Add(outcome);
        }

        return outcomes;
    }

    private async Task<HandledTask> HandleOneAsync(JsonElement task, string? type, RequestContext context, CancellationToken cancellationToken)
    {
        var uuidText = TaskHeader.ReadUuidText(task);
        if (type is null || !byType.TryGetValue(type, out var handler))
        {
            var fields = new TaskFields(task, null, uuidText);
            if (!fields.Has("taskType"))
            {
                fields.Missing("taskType", $"every task needs a taskType: {string.Join(", ", TaskHeader.KnownTypes)}.");
            }
            else
            {
                var shown = type is null ? "a non-string value" : $"'{(type.Length > 40 ? type[..40] + "…" : type)}'";
                fields.Add(ErrorCodes.InvalidTaskType, "taskType", $"Unknown taskType {shown}; the emulator serves {string.Join(", ", TaskHeader.KnownTypes)}.");
            }

            return HandledTask.Rejected(fields);
        }

        var taskFields = new TaskFields(task, type, uuidText);
        var header = TaskHeader.Read(type, taskFields);
        return await handler.HandleAsync(taskFields, header, context, cancellationToken);
    }
}
