using FluxFunctions.Emulator.Validation;
using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>Runs <c>controlNetPreprocess</c>: canny edges or pseudo-depth, optionally resized first.</summary>
internal static class Preprocessor
{
    /// <summary>The guide image (white edges on black, or near = white depth) as an opaque RGBA bitmap (caller disposes).</summary>
    public static SKBitmap Run(PreprocessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var input = ImageCodec.Decode(request.Input.Bytes);
        var width = request.Width ?? (request.Height is { } h ? Math.Max(1, (int)Math.Round((double)input.Width * h / input.Height)) : input.Width);
        var height = request.Height ?? (request.Width is { } w ? Math.Max(1, (int)Math.Round((double)input.Height * w / input.Width)) : input.Height);
        using var sized = width == input.Width && height == input.Height ? input.Copy() : PixelOps.Resize(input, width, height);
        var gray = PixelOps.Luminance(sized);
        var guide = request.Type == PreprocessorType.Canny
            ? CannyEdges.Detect(gray, width, height, request.LowThreshold, request.HighThreshold)
            : PseudoDepth.Estimate(gray, width, height);
        return PixelOps.FromGray(guide, width, height);
    }
}
