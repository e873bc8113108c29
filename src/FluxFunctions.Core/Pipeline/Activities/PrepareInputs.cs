using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Reads the input (and mask) at the version the job was started for, prepares them for the tool (size, mask, guide,
/// outpaint canvas) and stores the prepared images in the work container, so later activities pass blob references.
/// An input that needs no change is not copied: the prepared seed is the input blob itself.
/// </summary>
public sealed class PrepareInputs(FluxStorage storage, IImageWork images) : FluxActivity<PrepareInputsInput, PrepareInputsResult>
{
    public override async Task<PrepareInputsResult> ExecuteAsync(PrepareInputsInput input, CancellationToken cancellationToken)
    {
        try
        {
            var limit = storage.Options.MaxInputBytes;
            var image = await storage.ReadAsync(input.Image, limit, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte>? mask = null;
            if (input.Mask is not null)
            {
                mask = (await storage.ReadAsync(input.Mask, limit, cancellationToken).ConfigureAwait(false)).Data;
            }

            var prepared = images.Prepare(image.Data, mask, input.Spec);
            var seed = prepared.Seed.Passthrough
                ? new PreparedBlob(input.Image with { ETag = image.ETag }, prepared.Seed.ContentType, prepared.Seed.Width, prepared.Seed.Height, prepared.Seed.Bytes.Length, true)
                : await Store(input.JobId, "seed" + Extension(prepared.Seed.ContentType), prepared.Seed, cancellationToken).ConfigureAwait(false);
            PreparedBlob? maskBlob = null;
            if (prepared.Mask is { } m)
            {
                maskBlob = await Store(input.JobId, "mask.png", m, cancellationToken).ConfigureAwait(false);
            }

            return new PrepareInputsResult(seed, maskBlob, prepared.OriginalWidth, prepared.OriginalHeight, prepared.Width, prepared.Height, prepared.Warnings, prepared.Report, null);
        }
        catch (PermanentFluxException ex)
        {
            return new PrepareInputsResult(null, null, 0, 0, 0, 0, [], null, ex.First);
        }
    }

    private async Task<PreparedBlob> Store(string jobId, string file, EncodedImage image, CancellationToken cancellationToken)
    {
        var blob = new BlobRef(storage.Options.WorkContainer, OutputLayout.Work(jobId, file));
        var etag = await storage.WriteAsync(blob, image.Bytes, image.ContentType, cancellationToken).ConfigureAwait(false);
        return new PreparedBlob(blob with { ETag = etag }, image.ContentType, image.Width, image.Height, image.Bytes.Length, false);
    }

    private static string Extension(string contentType) => contentType switch
    {
        "image/jpeg" => ".jpg",
        "image/webp" => ".webp",
        _ => ".png",
    };
}
