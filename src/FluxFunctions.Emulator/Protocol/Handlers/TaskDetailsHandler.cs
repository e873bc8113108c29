using System.Collections.Frozen;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>
/// <c>getTaskDetails</c> (Runware's "Task Details"): the original request and response of a task by its UUID, as
/// <c>{"taskType":"getTaskDetails","taskUUID":...,"request":[the task object],"response":{"data":[...]} or {"errors":[...]}}</c>.
/// The response of an inference still running is its acknowledgement. It names an existing task, so it is never
/// registered nor charged; an unknown (or not yet visible) UUID is answered per <c>Emulator:UnknownTask</c>.
/// </summary>
internal sealed class TaskDetailsHandler(TaskLookup lookup, ResultEntries entries, EmulatorStats stats) : ITaskHandler
{
    private static readonly FrozenSet<string> Allowed = FrozenSet.Create(StringComparer.Ordinal, "taskType", "taskUUID");

    public string TaskType => TaskTypes.GetTaskDetails;

    public Task<HandledTask> HandleAsync(TaskFields fields, TaskHeader? header, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(context);
        fields.RejectUnknown(Allowed);
        if (!fields.IsValid || header is null)
        {
            return Task.FromResult(HandledTask.Rejected(fields));
        }

        stats.TaskDetailsRequested();
        if (!lookup.TryFind(header, out var task))
        {
            return Task.FromResult(lookup.Unknown(header));
        }

        var details = new JsonObject
        {
            ["taskType"] = TaskType,
            ["taskUUID"] = header.TaskUuidText,
            ["request"] = JsonNode.Parse(task.RequestJson),
            ["response"] = Response(task, context.PublicBaseUrl),
        };
        return Task.FromResult(HandledTask.Done(TaskOutcome.Ok(details)));
    }

    /// <summary>The task's response envelope as it stands now.</summary>
    private JsonObject Response(RegisteredTask task, string publicBaseUrl)
    {
        if (task.Job is { } job)
        {
            return job.Result is null
                ? new JsonObject { ["data"] = new JsonArray(ResultEntries.Acknowledgement(job.TaskUuid)) }
                : ResponseEnvelope.Of(entries.ForJob(job, publicBaseUrl, withStatus: job.Request.Async));
        }

        return task.AnswerJson is { } answer
            ? (JsonObject)JsonNode.Parse(answer)!
            : new JsonObject { ["data"] = new JsonArray() };
    }
}
