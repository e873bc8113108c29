using FluxFunctions.Core.Callbacks;
using FluxFunctions.Core.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using A = FluxFunctions.Core.Pipeline.Activities;

namespace FluxFunctions.Functions.Durable;

/// <summary>One-line wrappers that run Core's activities under the Durable Functions extension.</summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    [Function(nameof(A.PrepareInputs))]
    public Task<PrepareInputsResult> RunPrepareInputs([ActivityTrigger] PrepareInputsInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.PrepareInputs>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.RunInference))]
    public Task<InferenceAttempt> RunRunInference([ActivityTrigger] InferenceRequest input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.RunInference>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.PollInference))]
    public Task<PollInferenceResult> RunPollInference([ActivityTrigger] PollInferenceInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.PollInference>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.FinishJob))]
    public Task<FinishJobResult> RunFinishJob([ActivityTrigger] FinishJobInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.FinishJob>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.WriteFailure))]
    public Task<string> RunWriteFailure([ActivityTrigger] WriteFailureInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.WriteFailure>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.ReleaseSlots))]
    public Task<int> RunReleaseSlots([ActivityTrigger] ReleaseSlotsInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.ReleaseSlots>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.ClaimCancel))]
    public Task<bool> RunClaimCancel([ActivityTrigger] ClaimCancelInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.ClaimCancel>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.DeliverCallback))]
    public Task<CallbackAttempt> RunDeliverCallback([ActivityTrigger] DeliverCallbackInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.DeliverCallback>().InvokeAsync(input, InstanceId(context), cancellationToken);

    /// <summary>The orchestration instance (job id) of an activity invocation, from the trigger's binding data.</summary>
    private static string? InstanceId(FunctionContext context) =>
        context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() : null;
}
