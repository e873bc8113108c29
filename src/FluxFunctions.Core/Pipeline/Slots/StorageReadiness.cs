using FluxFunctions.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// At start, on both hosts: creates the containers the pipeline reads and writes (inputs, outputs, failure records, work)
/// and the slot table when they are missing, and logs what it created. Without it a fresh account (or a deleted container)
/// made every job fail to write its results, and then its failure record. A storage account that cannot be reached is
/// logged, not fatal: the jobs' own retries cover it, and the next start creates what is missing.
/// </summary>
internal sealed partial class StorageReadiness(FluxStorage storage, InferenceSlots slots, ILogger<StorageReadiness> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var created = await storage.EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
            await slots.EnsureAsync(cancellationToken).ConfigureAwait(false);
            if (created.Count > 0)
            {
                LogCreated(logger, string.Join(", ", created));
            }
        }
#pragma warning disable CA1031 // Storage down at start must not stop the host: it retries its work, and logs say why.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogUnreachable(logger, ex.GetType().Name, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1470, Level = LogLevel.Information, Message = "Storage: created the missing containers {Containers}")]
    private static partial void LogCreated(ILogger logger, string containers);

    [LoggerMessage(EventId = 1471, Level = LogLevel.Warning, Message = "Storage: could not check the containers at start ({Reason}: {Message}); jobs retry")]
    private static partial void LogUnreachable(ILogger logger, string reason, string message);
}
