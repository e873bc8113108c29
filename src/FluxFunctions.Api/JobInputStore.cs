using Azure;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Api;

/// <summary>
/// Stores an HTTP job's inputs in the work container before the job starts (the orchestration carries references, never
/// bytes): <c>jobs/{jobId}/input.{ext}</c>, <c>jobs/{jobId}/input.mask.{ext}</c> and <c>jobs/{jobId}/input.ref-{i}.{ext}</c>. The mask is not called
/// <c>mask.png</c> because the pipeline writes its prepared mask under that name.
/// </summary>
public sealed class JobInputStore(FluxStorage storage)
{
    /// <summary>Writes the image and returns its reference pinned to the written version.</summary>
    public Task<BlobRef> StoreImageAsync(string jobId, LoadedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return StoreAsync(OutputLayout.Work(jobId, $"input.{image.Extension}"), image, cancellationToken);
    }

    /// <summary>Writes the mask and returns its reference pinned to the written version.</summary>
    public Task<BlobRef> StoreMaskAsync(string jobId, LoadedImage mask, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return StoreAsync(OutputLayout.Work(jobId, $"input.mask.{mask.Extension}"), mask, cancellationToken);
    }

    /// <summary>Writes reference image <paramref name="index"/> (<c>input.ref-{index}.{ext}</c>) and returns its reference pinned to the written version.</summary>
    public Task<BlobRef> StoreReferenceAsync(string jobId, int index, LoadedImage reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return StoreAsync(OutputLayout.Work(jobId, $"input.ref-{index}.{reference.Extension}"), reference, cancellationToken);
    }

    private async Task<BlobRef> StoreAsync(string name, LoadedImage image, CancellationToken cancellationToken)
    {
        var blob = new BlobRef(storage.Options.WorkContainer, name);
        string etag;
        try
        {
            etag = await storage.WriteAsync(blob, image.Bytes, image.ContentType, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "ContainerNotFound")
        {
            await storage.Work.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            etag = await storage.WriteAsync(blob, image.Bytes, image.ContentType, cancellationToken).ConfigureAwait(false);
        }

        return blob with { ETag = etag };
    }
}
