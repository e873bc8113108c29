using System.Text;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>Writes a job's manifest, once (If-None-Match): repeating it never makes a second one.</summary>
public sealed class WriteManifest(FluxStorage storage) : FluxActivity<WriteRecordInput, bool>
{
    public override Task<bool> ExecuteAsync(WriteRecordInput input, CancellationToken cancellationToken) =>
        storage.WriteOnceAsync(new BlobRef(input.Container, input.Blob), Encoding.UTF8.GetBytes(input.Json), "application/json", cancellationToken);
}

/// <summary>Writes a job's failure record, once.</summary>
public sealed class WriteFailure(FluxStorage storage) : FluxActivity<WriteRecordInput, bool>
{
    public override Task<bool> ExecuteAsync(WriteRecordInput input, CancellationToken cancellationToken) =>
        storage.WriteOnceAsync(new BlobRef(input.Container, input.Blob), Encoding.UTF8.GetBytes(input.Json), "application/json", cancellationToken);
}

/// <summary>Gives back the inference slot of a job that ended early (failed or timed out while in flight).</summary>
public sealed class ReleaseInferenceSlot(InferenceSlots slots) : FluxActivity<ReleaseSlotInput, bool>
{
    public override Task<bool> ExecuteAsync(ReleaseSlotInput input, CancellationToken cancellationToken)
    {
        slots.Release(input.TaskUuid);
        return Task.FromResult(true);
    }
}
