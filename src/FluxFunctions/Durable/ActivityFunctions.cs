using FluxFunctions.Core.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using A = FluxFunctions.Core.Pipeline.Activities;

namespace FluxFunctions.Functions.Durable;

/// <summary>One-line wrappers that run Core's activities under the Durable Functions extension.</summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    [Function(nameof(A.ResolveCompanions))]
    public Task<CompanionsResult> RunResolveCompanions([ActivityTrigger] ResolveCompanionsInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.ResolveCompanions>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.PrepareInputs))]
    public Task<PrepareInputsResult> RunPrepareInputs([ActivityTrigger] PrepareInputsInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.PrepareInputs>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.RunwarePreprocess))]
    public Task<RunwarePreprocessResult> RunRunwarePreprocess([ActivityTrigger] RunwarePreprocessInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.RunwarePreprocess>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.SubmitInference))]
    public Task<SubmitInferenceResult> RunSubmitInference([ActivityTrigger] SubmitInferenceInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.SubmitInference>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.PollInference))]
    public Task<PollInferenceResult> RunPollInference([ActivityTrigger] PollInferenceInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.PollInference>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.StoreOutputs))]
    public Task<StoreOutputsResult> RunStoreOutputs([ActivityTrigger] StoreOutputsInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.StoreOutputs>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.WriteManifest))]
    public Task<bool> RunWriteManifest([ActivityTrigger] WriteRecordInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.WriteManifest>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.WriteFailure))]
    public Task<bool> RunWriteFailure([ActivityTrigger] WriteRecordInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.WriteFailure>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.ReleaseInferenceSlot))]
    public Task<bool> RunReleaseInferenceSlot([ActivityTrigger] ReleaseSlotInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.ReleaseInferenceSlot>().InvokeAsync(input, InstanceId(context), cancellationToken);

    [Function(nameof(A.DeliverCallback))]
    public Task<CallbackAttempt> RunDeliverCallback([ActivityTrigger] DeliverCallbackInput input, FunctionContext context, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.DeliverCallback>().InvokeAsync(input, InstanceId(context), cancellationToken);

    /// <summary>The orchestration instance (job id) of an activity invocation, from the trigger's binding data.</summary>
    private static string? InstanceId(FunctionContext context) =>
        context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() : null;
}
