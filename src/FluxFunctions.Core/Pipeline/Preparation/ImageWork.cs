using FluxFunctions.Core.Configuration;
using FluxFunctions.ImageRules;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Pipeline;

/// <summary>The image work of a job with the configured limits: prepare what goes to Runware, finish what comes back.</summary>
public sealed class ImageWork(IOptions<FluxOptions> flux, SizeRules sizeRules)
{
    /// <summary>Input limits (pixel budget checked from the header, file size).</summary>
    public ImageLimits Limits { get; } = new(flux.Value.MaxInputPixels, flux.Value.MaxInputBytes);

    /// <summary>Probes, decodes and prepares the input (and mask) for the tool.</summary>
    /// <exception cref="Errors.PermanentFluxException">Bad input, with a specific code.</exception>
    public PreparedImages Prepare(ReadOnlyMemory<byte> image, ReadOnlyMemory<byte>? mask, EditSpec spec) =>
        ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), image) { Mask = mask, Limits = Limits, SizeRules = sizeRules });

    /// <summary>Checks and prepares a reference image (<see cref="ImagePreparer.PrepareReference"/>); errors name <paramref name="field"/>.</summary>
    /// <exception cref="Errors.PermanentFluxException">Bad reference, with a specific code.</exception>
    public PreparedImage PrepareReference(ReadOnlyMemory<byte> reference, EditSpec spec, string field) =>
        ImagePreparer.PrepareReference(new PrepareRequest(ImageEdits.From(spec), reference) { Limits = Limits, SizeRules = sizeRules }, field);

    /// <summary>Whether finishing a result of <paramref name="spec"/> needs the original (and mask): an edit stitched back into it. A result only converted needs neither.</summary>
    public static bool FinishUsesOriginal(EditSpec spec) => ImageEdits.From(spec).Stitch;

    /// <summary>Turns a generated image into the stored result (stitch-back for Fill, output format).</summary>
    public FinishedImage Finish(EditSpec spec, ReadOnlyMemory<byte> generated, ReadOnlyMemory<byte> original, ReadOnlyMemory<byte>? mask, FillPlacement? placement) =>
        ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), generated) { Original = original, Mask = mask, Placement = placement, Limits = Limits with { MaxBytes = Math.Max(Limits.MaxBytes, StoreOutputsLimit) }, Encoding = EncodingOf(spec) });

    /// <summary>Stitches every crop's generated image into one Fill result (crop-to-context).</summary>
    public FinishedImage Finish(EditSpec spec, IReadOnlyList<GeneratedCrop> crops, ReadOnlyMemory<byte> original, ReadOnlyMemory<byte>? mask)
    {
        ArgumentNullException.ThrowIfNull(crops);
        return ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), crops[0].Generated) { Original = original, Mask = mask, Placement = crops[0].Placement, Crops = crops, Limits = Limits with { MaxBytes = Math.Max(Limits.MaxBytes, StoreOutputsLimit) }, Encoding = EncodingOf(spec) });
    }

    /// <summary>How a result the pipeline re-encodes (stitched, colour-matched) is written: at the job's <c>outputQuality</c>, if any.</summary>
    private static EncodeOptions EncodingOf(EditSpec spec) =>
        spec.OutputQuality is { } quality ? EncodeOptions.Default with { JpegQuality = quality, WebpQuality = quality } : EncodeOptions.Default;

    private const long StoreOutputsLimit = 64L * 1024 * 1024;
}
