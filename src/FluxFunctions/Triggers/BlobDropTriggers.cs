using Azure.Storage.Blobs;
using FluxFunctions.Core.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FluxFunctions.Functions.Triggers;

/// <summary>
/// A blob in the input container starts a job (or wakes one waiting for a companion). Two sources, one enabled per
/// deployment with <c>AzureWebJobs.{name}.Disabled</c>: container polling (Azurite, local development) and Event Grid
/// (Azure, low latency, the recommended source on Flex Consumption).
/// </summary>
public sealed class BlobDropTriggers(DropDispatcher dispatcher)
{
    /// <summary>The input container (app setting <c>Flux__InputContainer</c>).</summary>
    public const string InputPath = "%Flux:InputContainer%/{name}";

    [Function(nameof(BlobDrop))]
    public Task BlobDrop(
        [BlobTrigger(InputPath, Connection = "AzureWebJobsStorage", Source = BlobTriggerSource.LogsAndContainerScan)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        HandleAsync(blob, name, client, cancellationToken);

    [Function(nameof(BlobDropEventGrid))]
    public Task BlobDropEventGrid(
        [BlobTrigger(InputPath, Connection = "AzureWebJobsStorage", Source = BlobTriggerSource.EventGrid)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        HandleAsync(blob, name, client, cancellationToken);

    /// <summary>Reads the version (ETag) that fired and hands the blob to the dispatcher shared with the runner.</summary>
    internal async Task<DropOutcome> HandleAsync(BlobClient blob, string name, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return await dispatcher.HandleAsync(client, name, properties.Value.ETag.ToString(), cancellationToken).ConfigureAwait(false);
    }
}
