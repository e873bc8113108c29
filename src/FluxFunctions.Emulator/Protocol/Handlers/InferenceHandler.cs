using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>
/// <c>imageInference</c>: validates, answers an account problem asked for by a trigger, registers the task UUID and
/// starts the inference; async delivery answers "processing" at once, sync delivery makes the request wait for the
/// result. An async inference to be forgotten (trigger or <c>forget</c> fault) is acknowledged and never started.
/// </summary>
internal sealed class InferenceHandler(InferenceValidator validator, Duplicates duplicates, ForgottenTasks forgotten, InferenceRunner runner) : ITaskHandler
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

        if (request.AccountError is { } account)
        {
            return HandledTask.Done(TaskOutcome.Reject(account.ToError(TaskType, header.TaskUuidText), account.Status));
        }

        if (request.Async && forgotten.ShouldForget(header.TaskUuid, request.Forget, context.ForgetAsyncInferences))
        {
            return Forget(header, request, context);
        }

        var job = new InferenceJob(request, context.PublicBaseUrl);
        if (duplicates.Register(header, fields, job) is { } duplicate)
        {
            return duplicate;
        }

        runner.Start(job);
        return request.Async
            ? HandledTask.Done(TaskOutcome.Ok(ResultEntries.Acknowledgement(request.TaskUuid)))
            : new HandledTask(null, job);
    }

    private HandledTask Forget(TaskHeader header, InferenceRequest request, RequestContext context)
    {
        if (duplicates.CheckForgotten(header) is { } duplicate)
        {
            return duplicate;
        }

        var reason = context.ForgetAsyncInferences ? "fault forget"
            : request.Forget == ForgetTrigger.Once ? PromptTriggers.ForgetOnce
            : PromptTriggers.Forget;
        forgotten.Forgot(header, reason);
        return HandledTask.Done(TaskOutcome.Ok(ResultEntries.Acknowledgement(request.TaskUuid)));
    }
}
