using System.Text.Json;
using FluxFunctions.Core.Storage;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Reads the input (and mask) at the version the job was started for, prepares them for the tool (size, mask, guide,
/// outpaint canvas), stores the prepared images in the work container, so later activities pass blob references, and
/// hands them to Runware once (<see cref="ImageTransfer"/>: each Fill crop its own seed and mask). An input that needs no
/// change is not copied: the prepared seed is the input blob itself. Preparing again is idempotent (same blobs, same bytes).
/// </summary>
public sealed class InputPreparer(FluxStorage storage, ImageWork images, ImageTransfer transfer)
{
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    /// <exception cref="Errors.PermanentFluxException">Bad input, with a specific code.</exception>
    /// <param name="references">The reference images (fill's ACE++ reference, kontext's extra references), at their versions; each is checked, prepared and handed to Runware once for every piece.</param>
    /// <returns>
    /// The prepared inputs and, when Runware makes a guide from the photo and nothing else needs it there (Canny or Depth
    /// with <c>preprocess: runware</c>, images uploaded), the photo as a data URI for the guide's request instead of an
    /// upload of its own: one request to Runware less before the inference (<see cref="PreparedJob.GuideInput"/>).
    /// </returns>
    public async Task<PreparedJob> PrepareAsync(string jobId, BlobRef image, BlobRef? mask, IReadOnlyList<BlobRef>? references, EditSpec spec, string transferMode, CancellationToken cancellationToken)
    {
        var limit = storage.Options.MaxInputBytes;
        var input = await storage.ReadAsync(image, limit, cancellationToken).ConfigureAwait(false);
        ReadOnlyMemory<byte>? maskInput = null;
        if (mask is not null)
        {
            maskInput = (await storage.ReadAsync(mask, limit, cancellationToken).ConfigureAwait(false)).Data;
        }

        var prepared = images.Prepare(input.Data, maskInput, spec);
        var seed = prepared.Image.Passthrough
            ? new PreparedBytes(new PreparedBlob(image with { ETag = input.ETag }, prepared.Image.ContentType, prepared.Image.Width, prepared.Image.Height, prepared.Image.Bytes.Length, true), prepared.Image.Bytes)
            : await StoreAsync(jobId, "seed." + prepared.Image.Format.Name().ToLowerInvariant(), prepared.Image, cancellationToken).ConfigureAwait(false);
        PreparedBytes? preparedMask = null;
        if (prepared.Mask is { } m)
        {
            preparedMask = await StoreAsync(jobId, "mask.png", m, cancellationToken).ConfigureAwait(false);
        }

        // What goes to Runware: the seed (and mask), or for Fill crop 0 as above and every further crop its own pair.
        var pieces = new List<(PreparedBytes Seed, PreparedBytes? Mask)> { (seed, preparedMask) };
        List<PreparedCropBlobs>? crops = null;
        if (prepared.Crops.Count > 0 && preparedMask is not null)
        {
            crops = [new PreparedCropBlobs(0, seed.Blob, preparedMask.Blob, prepared.Crops[0].Placement, prepared.Crops[0].Margin)];
            foreach (var crop in prepared.Crops.Skip(1))
            {
                var cropSeed = await StoreAsync(jobId, $"seed-{crop.Index}.{crop.Seed.Format.Name().ToLowerInvariant()}", crop.Seed, cancellationToken).ConfigureAwait(false);
                var cropMask = await StoreAsync(jobId, $"mask-{crop.Index}.png", crop.Mask, cancellationToken).ConfigureAwait(false);
                crops.Add(new PreparedCropBlobs(crop.Index, cropSeed.Blob, cropMask.Blob, crop.Placement, crop.Margin));
                pieces.Add((cropSeed, cropMask));
            }
        }

        // The photo a guide is made from goes inside the guide's request (its transfer is filled in from that answer).
        var guideInput = InferencePieces.AwaitRunwareGuide(spec) && transferMode != ImageTransfer.SasUrl && pieces.Count == 1 && pieces[0].Mask is null
            ? ImageTransfer.DataUri(pieces[0].Seed)
            : null;

        // The references and the pieces go to Runware side by side (each a request or two a network away).
        var referencesSent = PrepareReferencesAsync(jobId, references ?? [], spec, transferMode, cancellationToken);
        var piecesSent = guideInput is not null
            ? Task.FromResult<TransferredImages[]>([new TransferredImages("", null, 0)])
            : Task.WhenAll(pieces.Select(p => transfer.SendAsync(p.Seed, p.Mask, transferMode, cancellationToken)));
        var (sentReferences, transfers) = await Together.Async(referencesSent, piecesSent).ConfigureAwait(false);
        return new PreparedJob(new PreparedInputs(
            seed.Blob,
            preparedMask?.Blob,
            prepared.OriginalSize.Width,
            prepared.OriginalSize.Height,
            prepared.TargetSize.Width,
            prepared.TargetSize.Height,
            prepared.Warnings,
            JsonSerializer.SerializeToNode(prepared.Report, ReportJson)?.AsObject(),
            prepared.Placement,
            crops,
            prepared.Context,
            transfers,
            sentReferences.Count > 0 ? sentReferences : null), guideInput);
    }

    /// <summary>Each reference read, checked, prepared (the blob itself when it needs no change), and handed to Runware once.</summary>
    private async Task<IReadOnlyList<string>> PrepareReferencesAsync(string jobId, IReadOnlyList<BlobRef> references, EditSpec spec, string transferMode, CancellationToken cancellationToken)
    {
        var sent = new List<string>(references.Count);
        for (var i = 0; i < references.Count; i++)
        {
            var field = spec.Tool.Describe().ReferenceField is ToolFields.References ? $"references[{i}]" : ToolFields.Reference;
            var content = await storage.ReadAsync(references[i], storage.Options.MaxInputBytes, cancellationToken).ConfigureAwait(false);
            var image = images.PrepareReference(content.Data, spec, field);
            var stored = image.Passthrough
                ? new PreparedBytes(new PreparedBlob(references[i] with { ETag = content.ETag }, image.ContentType, image.Width, image.Height, image.Bytes.Length, true), image.Bytes)
                : await StoreAsync(jobId, $"reference-{i}.{image.Format.Name().ToLowerInvariant()}", image, cancellationToken).ConfigureAwait(false);
            sent.Add((await transfer.SendAsync(stored, null, transferMode, cancellationToken).ConfigureAwait(false)).Seed);
        }

        return sent;
    }

    private async Task<PreparedBytes> StoreAsync(string jobId, string file, Imaging.PreparedImage image, CancellationToken cancellationToken)
    {
        var blob = new BlobRef(storage.Options.WorkContainer, OutputLayout.Work(jobId, file));
        var etag = await storage.WriteAsync(blob, image.Bytes, image.ContentType, cancellationToken).ConfigureAwait(false);
        return new PreparedBytes(new PreparedBlob(blob with { ETag = etag }, image.ContentType, image.Width, image.Height, image.Bytes.Length, false), image.Bytes);
    }
}
