using FluxFunctions.Core.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using A = FluxFunctions.Core.Pipeline.Activities;

namespace FluxFunctions.Functions.Durable;

/// <summary>One-line wrappers that run Core's activities under the Durable Functions extension.</summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    [Function(nameof(A.ResolveCompanions))]
    public Task<CompanionsResult> RunResolveCompanions([ActivityTrigger] ResolveCompanionsInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.ResolveCompanions>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.PrepareInputs))]
    public Task<PrepareInputsResult> RunPrepareInputs([ActivityTrigger] PrepareInputsInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.PrepareInputs>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.TransferImages))]
    public Task<TransferImagesResult> RunTransferImages([ActivityTrigger] TransferImagesInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.TransferImages>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.RunwarePreprocess))]
    public Task<RunwarePreprocessResult> RunRunwarePreprocess([ActivityTrigger] RunwarePreprocessInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.RunwarePreprocess>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.SubmitInference))]
    public Task<SubmitInferenceResult> RunSubmitInference([ActivityTrigger] SubmitInferenceInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.SubmitInference>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.PollInference))]
    public Task<PollInferenceResult> RunPollInference([ActivityTrigger] PollInferenceInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.PollInference>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.StoreOutputs))]
    public Task<StoreOutputsResult> RunStoreOutputs([ActivityTrigger] StoreOutputsInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.StoreOutputs>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.WriteManifest))]
    public Task<bool> RunWriteManifest([ActivityTrigger] WriteRecordInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.WriteManifest>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.WriteFailure))]
    public Task<bool> RunWriteFailure([ActivityTrigger] WriteRecordInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.WriteFailure>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.ReleaseInferenceSlot))]
    public Task<bool> RunReleaseInferenceSlot([ActivityTrigger] ReleaseSlotInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.ReleaseInferenceSlot>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(A.DeliverCallback))]
    public Task<CallbackAttempt> RunDeliverCallback([ActivityTrigger] DeliverCallbackInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<A.DeliverCallback>().ExecuteAsync(input, cancellationToken);
}
