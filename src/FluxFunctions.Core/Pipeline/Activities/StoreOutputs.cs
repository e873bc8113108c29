using System.Text.Json.Nodes;
using FluxFunctions.Core.Errors;
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

            var outputs = new List<OutputImage>();
            var reports = new JsonArray();
            for (var i = 0; i < input.Images.Count; i++)
            {
                var generated = input.Images[i];
                if (generated.ImageURL is null || !Uri.TryCreate(generated.ImageURL, UriKind.Absolute, out var url))
                {
                    return new StoreOutputsResult([], null, new FluxError(ErrorCodes.RunwareProtocol, $"Runware returned result {i} without an image URL."));
                }

                var bytes = await runware.DownloadAsync(url, MaxResultBytes, cancellationToken).ConfigureAwait(false);
                var finished = images.Finish(input.Spec, bytes, original.Data, mask, input.Prepared.Placement);
                var name = OutputLayout.OutputImage(input.OutputPrefix, i, input.Spec.OutputFormat.Extension());
                await storage.WriteAsync(new BlobRef(storage.Options.OutputContainer, name), finished.Bytes, finished.ContentType, cancellationToken).ConfigureAwait(false);
                outputs.Add(new OutputImage(i, storage.Options.OutputContainer, name, finished.Width, finished.Height, generated.Seed, input.Spec.OutputFormat, generated.Cost));
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

            return new StoreOutputsResult(outputs, new JsonObject { ["finishing"] = reports }, null);
        }
        catch (PermanentFluxException ex)
        {
            return new StoreOutputsResult([], null, ex.First);
        }
    }
}
