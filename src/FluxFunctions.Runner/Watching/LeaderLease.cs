using Azure;
using Azure.Storage.Blobs.Specialized;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Runner.Watching;

/// <summary>
/// A blob lease electing one watcher among the runners sharing a storage account: only the holder lists the input
/// container; every runner still processes jobs. If the holder dies, the lease expires and another runner takes over.
/// </summary>
public sealed class LeaderLease(FluxStorage storage)
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private const string BlobName = "watcher/leader.lock";
    private readonly string leaseId = Guid.NewGuid().ToString();
    private bool held;

    /// <summary>Takes or renews the lease. True while this runner is the watcher.</summary>
    public async Task<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        var blob = storage.Work.GetBlobClient(BlobName);
        var lease = blob.GetBlobLeaseClient(leaseId);
        try
        {
            if (held)
            {
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }

            if (!await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await blob.UploadAsync(BinaryData.FromString("leader lease of the input watcher"), overwrite: false, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                }
            }

            await lease.AcquireAsync(Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            held = true;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            held = false;
            return false;
        }
    }

    /// <summary>Gives the lease up (graceful shutdown) so another runner takes over at once.</summary>
    public async Task ReleaseAsync()
    {
        if (!held)
        {
            return;
        }

        held = false;
        try
        {
            await storage.Work.GetBlobClient(BlobName).GetBlobLeaseClient(leaseId).ReleaseAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
        }
    }
}
