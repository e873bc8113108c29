using System.Text.Json;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Imaging;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Reads the input (and mask) at the version the job was started for, prepares them for the tool (size, mask, guide,
/// outpaint canvas) and stores the prepared images in the work container, so later activities pass blob references.
/// An input that needs no change is not copied: the prepared seed is the input blob itself.
/// </summary>
public sealed class PrepareInputs(FluxStorage storage, ImageWork images) : FluxActivity<PrepareInputsInput, PrepareInputsResult>
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
            var seed = prepared.Image.Passthrough
                ? new PreparedBlob(input.Image with { ETag = image.ETag }, prepared.Image.ContentType, prepared.Image.Width, prepared.Image.Height, prepared.Image.Bytes.Length, true)
                : await Store(input.JobId, "seed." + prepared.Image.Format.Name().ToLowerInvariant(), prepared.Image, cancellationToken).ConfigureAwait(false);
            PreparedBlob? maskBlob = null;
            if (prepared.Mask is { } m)
            {
                maskBlob = await Store(input.JobId, "mask.png", m, cancellationToken).ConfigureAwait(false);
            }

            // Fill: crop 0 is the seed and mask above; every further crop gets its own pair.
            List<PreparedCropBlobs>? crops = null;
            if (prepared.Crops.Count > 0 && maskBlob is not null)
            {
                crops = [new PreparedCropBlobs(0, seed, maskBlob, prepared.Crops[0].Placement, prepared.Crops[0].Margin)];
                foreach (var crop in prepared.Crops.Skip(1))
                {
                    var cropSeed = await Store(input.JobId, $"seed-{crop.Index}.{crop.Seed.Format.Name().ToLowerInvariant()}", crop.Seed, cancellationToken).ConfigureAwait(false);
                    var cropMask = await Store(input.JobId, $"mask-{crop.Index}.png", crop.Mask, cancellationToken).ConfigureAwait(false);
                    crops.Add(new PreparedCropBlobs(crop.Index, cropSeed, cropMask, crop.Placement, crop.Margin));
                }
            }

            var report = JsonSerializer.SerializeToNode(prepared.Report, ReportJson)?.AsObject();
            return new PrepareInputsResult(
                seed,
                maskBlob,
                prepared.OriginalSize.Width,
                prepared.OriginalSize.Height,
                prepared.TargetSize.Width,
                prepared.TargetSize.Height,
                prepared.Warnings,
                report,
                prepared.Placement,
                null,
                crops,
                prepared.Context);
        }
        catch (PermanentFluxException ex)
        {
            return new PrepareInputsResult(null, null, 0, 0, 0, 0, [], null, null, ex.First);
        }
    }

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    private async Task<PreparedBlob> Store(string jobId, string file, PreparedImage image, CancellationToken cancellationToken)
    {
        var blob = new BlobRef(storage.Options.WorkContainer, OutputLayout.Work(jobId, file));
        var etag = await storage.WriteAsync(blob, image.Bytes, image.ContentType, cancellationToken).ConfigureAwait(false);
        return new PreparedBlob(blob with { ETag = etag }, image.ContentType, image.Width, image.Height, image.Bytes.Length, false);
    }

}
