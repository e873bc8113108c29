using System.Text.Json;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Imaging;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Reads the input (and mask) at the version the job was started for, prepares them for the tool (size, mask, guide,
/// outpaint canvas), stores the prepared images in the work container, so later activities pass blob references, and
/// hands them to Runware once (<see cref="ImageTransfer"/>: each Fill crop its own seed and mask). An input that needs no
/// change is not copied: the prepared seed is the input blob itself.
/// <para>One activity, not two: a job's trip through the task hub between preparing and uploading cost more than either
/// under load, and the upload sends the bytes already in memory instead of reading the blob back. A transient upload
/// failure retries the whole activity; preparing again is idempotent (same blobs, same bytes).</para>
/// </summary>
public sealed class PrepareInputs(FluxStorage storage, ImageWork images, ImageTransfer transfer) : FluxActivity<PrepareInputsInput, PrepareInputsResult>
{
    public override async Task<PrepareInputsResult> ExecuteAsync(PrepareInputsInput input, CancellationToken cancellationToken)
    {
        try
        {
            var limit = storage.Options.MaxInputBytes;
            var image = await storage.ReadAsync(input.Image, limit, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte>? maskInput = null;
            if (input.Mask is not null)
            {
                maskInput = (await storage.ReadAsync(input.Mask, limit, cancellationToken).ConfigureAwait(false)).Data;
            }

            var prepared = images.Prepare(image.Data, maskInput, input.Spec);
            var seed = prepared.Image.Passthrough
                ? new PreparedBytes(new PreparedBlob(input.Image with { ETag = image.ETag }, prepared.Image.ContentType, prepared.Image.Width, prepared.Image.Height, prepared.Image.Bytes.Length, true), prepared.Image.Bytes)
                : await Store(input.JobId, "seed." + prepared.Image.Format.Name().ToLowerInvariant(), prepared.Image, cancellationToken).ConfigureAwait(false);
            PreparedBytes? mask = null;
            if (prepared.Mask is { } m)
            {
                mask = await Store(input.JobId, "mask.png", m, cancellationToken).ConfigureAwait(false);
            }

            // What goes to Runware: the seed (and mask), or for Fill crop 0 as above and every further crop its own pair.
            var pieces = new List<(PreparedBytes Seed, PreparedBytes? Mask)> { (seed, mask) };
            List<PreparedCropBlobs>? crops = null;
            if (prepared.Crops.Count > 0 && mask is not null)
            {
                crops = [new PreparedCropBlobs(0, seed.Blob, mask.Blob, prepared.Crops[0].Placement, prepared.Crops[0].Margin)];
                foreach (var crop in prepared.Crops.Skip(1))
                {
                    var cropSeed = await Store(input.JobId, $"seed-{crop.Index}.{crop.Seed.Format.Name().ToLowerInvariant()}", crop.Seed, cancellationToken).ConfigureAwait(false);
                    var cropMask = await Store(input.JobId, $"mask-{crop.Index}.png", crop.Mask, cancellationToken).ConfigureAwait(false);
                    crops.Add(new PreparedCropBlobs(crop.Index, cropSeed.Blob, cropMask.Blob, crop.Placement, crop.Margin));
                    pieces.Add((cropSeed, cropMask));
                }
            }

            var transfers = await Task.WhenAll(pieces.Select(p => transfer.SendAsync(p.Seed, p.Mask, input.Transfer, cancellationToken))).ConfigureAwait(false);

            var report = JsonSerializer.SerializeToNode(prepared.Report, ReportJson)?.AsObject();
            return new PrepareInputsResult(
                seed.Blob,
                mask?.Blob,
                prepared.OriginalSize.Width,
                prepared.OriginalSize.Height,
                prepared.TargetSize.Width,
                prepared.TargetSize.Height,
                prepared.Warnings,
                report,
                prepared.Placement,
                null,
                crops,
                prepared.Context,
                transfers);
        }
        catch (PermanentFluxException ex)
        {
            return new PrepareInputsResult(null, null, 0, 0, 0, 0, [], null, null, ex.First);
        }
    }

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    private async Task<PreparedBytes> Store(string jobId, string file, PreparedImage image, CancellationToken cancellationToken)
    {
        var blob = new BlobRef(storage.Options.WorkContainer, OutputLayout.Work(jobId, file));
        var etag = await storage.WriteAsync(blob, image.Bytes, image.ContentType, cancellationToken).ConfigureAwait(false);
        return new PreparedBytes(new PreparedBlob(blob with { ETag = etag }, image.ContentType, image.Width, image.Height, image.Bytes.Length, false), image.Bytes);
    }

}
