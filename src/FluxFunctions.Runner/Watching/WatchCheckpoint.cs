using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Runner.Watching;

/// <summary>
/// The input blobs (name → ETag) the watcher has already handed to the dispatcher, kept in the work container so a
/// restarted runner does not hand them over again. Correctness does not depend on it (starting a job is idempotent);
/// it saves work after a restart.
/// </summary>
public sealed class WatchCheckpoint(FluxStorage storage)
{
    private const string BlobName = "watcher/checkpoint.json";

    public async Task<Dictionary<string, string>> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.ReadAsync(new BlobRef(storage.Options.WorkContainer, BlobName), 256L * 1024 * 1024, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize<Dictionary<string, string>>(content.Data.Span) ?? new(StringComparer.Ordinal);
        }
        catch (Errors.PermanentFluxException)
        {
            return new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new(StringComparer.Ordinal);
        }
    }

    public Task SaveAsync(IReadOnlyDictionary<string, string> seen, CancellationToken cancellationToken) =>
        storage.WriteAsync(new BlobRef(storage.Options.WorkContainer, BlobName), JsonSerializer.SerializeToUtf8Bytes(seen), "application/json", cancellationToken);
}
