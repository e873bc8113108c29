using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// A job's last step, run by <see cref="Activities.FinishJob"/> or, when the first attempts saw every result, by
/// <see cref="Activities.PrepareInputs"/>: fetches each generated image, finishes it (stitch-back for Fill, output format),
/// stores it as <c>{prefix}{index}.{ext}</c>, then writes the manifest, once (If-None-Match): its presence means the job is
/// complete. Safe to repeat: a retry overwrites the same names with the same bytes and never writes a second manifest.
/// </summary>
public sealed class JobFinisher(FluxStorage storage, IRunwareClient runware, ImageWork images, TimeProvider time)
{
    /// <summary>Largest result image accepted from Runware.</summary>
    public const long MaxResultBytes = 64L * 1024 * 1024;

    /// <summary>Stores the results of <paramref name="facts"/> and writes the manifest (its storing time added to the timings).</summary>
    public async Task<FinishJobResult> FinishAsync(JobFacts facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var started = time.GetTimestamp();
        StoredResults stored;
        try
        {
            stored = await StoreAsync(facts, cancellationToken).ConfigureAwait(false);
        }
        catch (PermanentFluxException ex)
        {
            return new FinishJobResult([], null, ex.First);
        }

        var timings = new Dictionary<string, double>(facts.TimingsMs) { [Stages.Storing] = time.GetElapsedTime(started).TotalMilliseconds };
        var manifest = JobRecords.Manifest(facts with { TimingsMs = timings }, stored, time.GetUtcNow());
        var blob = OutputLayout.Manifest(OutputLayout.OutputPrefix(facts.Job.BaseName, facts.Job.JobId));
        await storage.WriteOnceAsync(new BlobRef(facts.Job.Settings.OutputContainer, blob), Encoding.UTF8.GetBytes(manifest.ToJsonString(JobRecords.JsonOptions)), "application/json", JobRecords.ManifestMetadata(stored.Outputs), cancellationToken).ConfigureAwait(false);

        // Quarantined images are in the manifest only: never served as the job's outputs.
        return new FinishJobResult([.. stored.Outputs.Where(o => !o.Quarantined)], blob, null);
    }

    private async Task<StoredResults> StoreAsync(JobFacts facts, CancellationToken cancellationToken)
    {
        var spec = facts.Spec!;
        var prepared = facts.Prepared!;
        var prefix = OutputLayout.OutputPrefix(facts.Job.BaseName, facts.Job.JobId);

        // Fill: one generated image per crop for each result index, stitched into one result.
        var crops = facts.Inferences.Select(o => new CropResults(o.Crop, o.Result.Images)).ToList();
        var links = Enumerable.Range(0, crops[0].Images.Count).Select(i => crops.Select(crop => ResultUrl(crops, crop, i)).ToList()).ToList();

        // The original and mask only for a result stitched back into them, read while the first results download.
        var originals = links.Count > 0 && ImageWork.FinishUsesOriginal(spec) ? ReadOriginalAsync(facts, cancellationToken) : Task.FromResult<(ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?)>((ReadOnlyMemory<byte>.Empty, null));
        var outputs = new List<OutputImage>();
        var reports = new JsonArray();
        var matches = new List<IReadOnlyList<ColorMatchReport>>();
        var flagged = SafetyVerdict.Flagged(spec.Safety, facts.Inferences);
        for (var i = 0; i < links.Count; i++)
        {
            var fetching = Task.WhenAll(links[i].Select(url => runware.DownloadAsync(url, MaxResultBytes, cancellationToken)));
            var ((original, mask), fetched) = await Together.Async(originals, fetching).ConfigureAwait(false);
            var downloads = fetched.Select(d => (ReadOnlyMemory<byte>)d).ToList();
            double? cost = null;
            foreach (var crop in crops)
            {
                cost = crop.Images[i].Cost is { } c ? (cost ?? 0) + c : cost;
            }

            var finished = prepared.Crops is null
                ? images.Finish(spec, downloads[0], original, mask, prepared.Placement)
                : images.Finish(spec, crops.Select((c, k) => new GeneratedCrop(PlacementOf(prepared, c.Crop), downloads[k])).ToList(), original, mask);
            var name = OutputLayout.OutputImage(prefix, i, spec.OutputFormat.Extension());
            var isFlagged = flagged.Contains(i);
            var quarantined = isFlagged && spec.Safety.OnFlagged == SafetyAction.Quarantine;
            var container = quarantined ? storage.Options.QuarantineContainer : storage.Options.OutputContainer;
            await storage.WriteAsync(new BlobRef(container, name), finished.Bytes, finished.ContentType, cancellationToken).ConfigureAwait(false);
            outputs.Add(new OutputImage(i, container, name, finished.Width, finished.Height, crops[0].Images[i].Seed, spec.OutputFormat, cost, isFlagged, quarantined));
            matches.Add(finished.ColorMatch);
            reports.Add(new JsonObject
            {
                ["index"] = i,
                ["stitched"] = finished.Stitched,
                ["reencoded"] = finished.Reencoded,
                ["keptPixels"] = finished.Stitch?.Kept,
                ["blendedPixels"] = finished.Stitch?.Blended,
                ["generatedPixels"] = finished.Stitch?.Generated,
            });
        }

        return new StoredResults(outputs, new JsonObject { ["finishing"] = reports }, spec.Tool.Describe().Stitches ? matches : null);
    }

    /// <summary>Result <paramref name="i"/>'s image URL in <paramref name="crop"/>.</summary>
    /// <exception cref="PermanentFluxException">Runware returned the result without one.</exception>
    private static Uri ResultUrl(List<CropResults> crops, CropResults crop, int i)
    {
        if (i >= crop.Images.Count || crop.Images[i].ImageURL is not { } link || !Uri.TryCreate(link, UriKind.Absolute, out var url))
        {
            var which = crops.Count > 1 ? $"result {i} of crop {crop.Crop}" : $"result {i}";
            throw new PermanentFluxException(new FluxError(ErrorCodes.RunwareProtocol, $"Runware returned {which} without an image URL."));
        }

        return url;
    }

    /// <summary>The job's original image and mask (if any), for a result stitched back into them.</summary>
    private async Task<(ReadOnlyMemory<byte> Original, ReadOnlyMemory<byte>? Mask)> ReadOriginalAsync(JobFacts facts, CancellationToken cancellationToken)
    {
        var original = storage.ReadAsync(facts.Job.Image, storage.Options.MaxInputBytes, cancellationToken);
        if (facts.Mask is null)
        {
            // An outpaint has none: no mask, not an empty one.
            return ((await original.ConfigureAwait(false)).Data, null);
        }

        var (image, mask) = await Together.Async(original, storage.ReadAsync(facts.Mask, storage.Options.MaxInputBytes, cancellationToken)).ConfigureAwait(false);
        return (image.Data, mask.Data);
    }

    /// <summary>The placement of a crop (the whole image's when the preparation listed no crops).</summary>
    private static FillPlacement PlacementOf(PreparedInputs prepared, int crop) =>
        prepared.Crops?.FirstOrDefault(c => c.Index == crop)?.Placement
            ?? prepared.Placement
            ?? throw new InvalidOperationException($"The preparation has no placement for crop {crop}.");
}
