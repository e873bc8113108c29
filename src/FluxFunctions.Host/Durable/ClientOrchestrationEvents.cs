using FluxFunctions.Core.Pipeline;
using Microsoft.DurableTask.Client;

namespace FluxFunctions.Host.Durable;

/// <summary>Raises the pipeline's in-process events (watched results, free slots) through the runner's durable client.</summary>
internal sealed class ClientOrchestrationEvents(DurableTaskClient client) : IOrchestrationEvents
{
    public Task RaiseAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken) =>
        client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
}
