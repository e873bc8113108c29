using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Makes the prepared images available to Runware once per job: <c>imageUpload</c> (the returned imageUUIDs are reused by
/// every later task) or, with <c>Runware__ImageTransfer=sas-url</c>, short-lived read-only SAS URLs that Runware fetches
/// itself (no image bytes leave the function).
/// </summary>
public sealed class TransferImages(FluxStorage storage, IRunwareClient runware) : FluxActivity<TransferImagesInput, TransferImagesResult>
{
    private static readonly TimeSpan SasLifetime = TimeSpan.FromHours(2);

    public override async Task<TransferImagesResult> ExecuteAsync(TransferImagesInput input, CancellationToken cancellationToken)
    {
        try
        {
            return await Transfer(input, cancellationToken).ConfigureAwait(false);
        }
        catch (PermanentFluxException ex)
        {
            return new TransferImagesResult("", null, [], 0, ex.First);
        }
    }

    private async Task<TransferImagesResult> Transfer(TransferImagesInput input, CancellationToken cancellationToken)
    {
        if (input.Mode == "sas-url")
        {
            var seedUrl = await storage.GetReadSasUriAsync(input.Seed.Blob, SasLifetime, cancellationToken).ConfigureAwait(false);
            Uri? maskUrl = input.Mask is null ? null : await storage.GetReadSasUriAsync(input.Mask.Blob, SasLifetime, cancellationToken).ConfigureAwait(false);
            return new TransferImagesResult(seedUrl.ToString(), maskUrl?.ToString(), [], 0, null);
        }

        long sent = 0;
        var (seed, seedBytes) = await Upload(input.Seed, cancellationToken).ConfigureAwait(false);
        sent += seedBytes;
        string? mask = null;
        if (input.Mask is not null)
        {
            (mask, var maskBytes) = await Upload(input.Mask, cancellationToken).ConfigureAwait(false);
            sent += maskBytes;
        }

        return new TransferImagesResult(seed, mask, [], sent, null);
    }

    private async Task<(string ImageUuid, long Bytes)> Upload(PreparedBlob blob, CancellationToken cancellationToken)
    {
        var content = await storage.ReadAsync(blob.Blob, long.MaxValue, cancellationToken).ConfigureAwait(false);
        var dataUri = $"data:{blob.ContentType};base64,{Convert.ToBase64String(content.Data.Span)}";
        var uuid = await runware.UploadImageAsync(dataUri, cancellationToken).ConfigureAwait(false);
        return (uuid, dataUri.Length);
    }
}
