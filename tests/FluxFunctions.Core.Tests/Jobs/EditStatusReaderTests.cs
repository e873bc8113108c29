using Azure.Data.Tables;
using Azure.Storage.Blobs;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Tests.Jobs;

public sealed class EditStatusReaderTests
{
    /// <summary>
    /// The gRPC client's GetInstancesAsync throws RpcException(Cancelled) when its token fires mid-call, where its waits
    /// throw OperationCanceledException; a deadline passing during the status read was a 500 from DELETE /api/edits/{id}.
    /// </summary>
    [Fact]
    public async Task WaitForEnd_DeadlinePassesDuringTheStatusRead_IsACancellationNotAnRpcError()
    {
        var options = new FluxOptions();
        using var slots = InferenceSlots.Create(new TableServiceClient("UseDevelopmentStorage=true"), options, TimeProvider.System, NullLogger<InferenceSlots>.Instance);
        var reader = new EditStatusReader(new FluxStorage(new BlobServiceClient("UseDevelopmentStorage=true"), Options.Create(options)), slots, NullLogger<EditStatusReader>.Instance);
        await using var client = new CancelledReadClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.WaitForEndAsync(client, JobIds.ForApi(), deadline.Token));

        Assert.IsType<RpcException>(thrown.InnerException);
        Assert.Equal(1, client.Reads);
    }

    /// <summary>A client whose status read lasts until the caller's token fires and then fails as the gRPC client does.</summary>
    private sealed class CancelledReadClient() : DurableTaskClient("stub")
    {
        public int Reads { get; private set; }

        public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        {
            Reads++;
            try
            {
                await Task.Delay(Timeout.Infinite, cancellation);
            }
            catch (OperationCanceledException)
            {
            }

            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        }

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

        public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
