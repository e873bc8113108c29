using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>
/// <c>imageInference</c>: validates, registers the task UUID and starts the inference; async delivery answers
/// "processing" at once, sync delivery makes the request wait for the result.
/// </summary>
internal sealed class InferenceHandler(InferenceValidator validator, Duplicates duplicates, InferenceRunner runner) : ITaskHandler
{
    public string TaskType => TaskTypes.ImageInference;

    public async Task<HandledTask> HandleAsync(TaskFields fields, TaskHeader? header, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = await validator.ValidateAsync(fields, header, cancellationToken);
        if (request is null || header is null)
        {
            return HandledTask.Rejected(fields);
        }

        var job = new InferenceJob(request, context.PublicBaseUrl);
        if (duplicates.Register(header, job) is { } duplicate)
        {
            return duplicate;
        }

        runner.Start(job);
        if (!request.Async)
        {
            return new HandledTask(null, job);
        }

        return HandledTask.Done(TaskOutcome.Ok(new JsonObject
        {
            ["taskType"] = TaskType,
            ["taskUUID"] = request.TaskUuid,
            ["status"] = "processing",
        }));
    }
}
