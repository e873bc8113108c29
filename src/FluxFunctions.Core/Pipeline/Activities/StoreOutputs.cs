using System.Text.Json.Nodes;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Imaging;
using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Fetches each generated image, finishes it (stitch-back for Fill, output format) and stores it as
/// <c>{prefix}{index}.{ext}</c>. Safe to repeat: a retry overwrites the same names with the same bytes.
/// </summary>
public sealed class StoreOutputs(FluxStorage storage, IRunwareClient runware, ImageWork images) : FluxActivity<StoreOutputsInput, StoreOutputsResult>
{
    /// <summary>Largest result image accepted from Runware.</summary>
    public const long MaxResultBytes = 64L * 1024 * 1024;

    public override async Task<StoreOutputsResult> ExecuteAsync(StoreOutputsInput input, CancellationToken cancellationToken)
    {
        try
        {
            var original = await storage.ReadAsync(input.Image, storage.Options.MaxInputBytes, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte>? mask = null;
            if (input.Mask is not null)
            {
                mask = (await storage.ReadAsync(input.Mask, storage.Options.MaxInputBytes, cancellationToken).ConfigureAwait(false)).Data;
            }

            // Fill: one generated image per crop for each result index, stitched into one result.
            var crops = input.Crops ?? [new CropResults(0, input.Images)];
            var outputs = new List<OutputImage>();
            var reports = new JsonArray();
            var matches = new List<IReadOnlyList<ColorMatchReport>>();
            for (var i = 0; i < crops[0].Images.Count; i++)
            {
                var downloads = new List<ReadOnlyMemory<byte>>(crops.Count);
                double? cost = null;
                foreach (var crop in crops)
                {
                    if (i >= crop.Images.Count || crop.Images[i].ImageURL is not { } link || !Uri.TryCreate(link, UriKind.Absolute, out var url))
                    {
                        var which = crops.Count > 1 ? $"result {i} of crop {crop.Crop}" : $"result {i}";
                        return new StoreOutputsResult([], null, new FluxError(ErrorCodes.RunwareProtocol, $"Runware returned {which} without an image URL."));
                    }

                    var bytes = await runware.DownloadAsync(url, MaxResultBytes, cancellationToken).ConfigureAwait(false);
                    downloads.Add(bytes);
                    cost = crop.Images[i].Cost is { } c ? (cost ?? 0) + c : cost;
                }

                var generated = crops[0].Images[i];
                var finished = input.Crops is null
                    ? images.Finish(input.Spec, downloads[0], original.Data, mask, input.Prepared.Placement)
                    : images.Finish(input.Spec, crops.Select((c, k) => new GeneratedCrop(PlacementOf(input, c.Crop), downloads[k])).ToList(), original.Data, mask);
                var name = OutputLayout.OutputImage(input.OutputPrefix, i, input.Spec.OutputFormat.Extension());
                await storage.WriteAsync(new BlobRef(storage.Options.OutputContainer, name), finished.Bytes, finished.ContentType, cancellationToken).ConfigureAwait(false);
                outputs.Add(new OutputImage(i, storage.Options.OutputContainer, name, finished.Width, finished.Height, generated.Seed, input.Spec.OutputFormat, cost));
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

            return new StoreOutputsResult(outputs, new JsonObject { ["finishing"] = reports }, null, input.Spec.Tool == FluxTool.Fill ? matches : null);
        }
        catch (PermanentFluxException ex)
        {
            return new StoreOutputsResult([], null, ex.First);
        }
    }

    /// <summary>The placement of a crop (the whole image's when the preparation listed no crops).</summary>
    private static FillPlacement PlacementOf(StoreOutputsInput input, int crop) =>
        input.Prepared.Crops?.FirstOrDefault(c => c.Index == crop)?.Placement
            ?? input.Prepared.Placement
            ?? throw new InvalidOperationException($"The preparation has no placement for crop {crop}.");
}
