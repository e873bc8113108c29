using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Validation;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// Renders deterministic stand-ins for FLUX outputs: the same request and seed always give byte-identical images.
/// Fill → <see cref="FillCompositor"/>, Erase → <see cref="EraseFiller"/>, Canny/Depth → <see cref="GuideTinter"/>, Redux → <see cref="ReduxVariation"/>,
/// a base model → the seed pattern (blended with the seed image for image-to-image).
/// </summary>
internal sealed class InferenceRenderer(IOptions<EmulatorOptions> options)
{
    private readonly int fillDrift = options.Value.FillDrift;

    /// <summary>Renders the result with seed <paramref name="seed"/> as an opaque RGBA bitmap (caller disposes).</summary>
    public SKBitmap Render(InferenceRequest request, RenderInputs inputs, long seed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inputs);
        var random = SeededRandom.For(seed, request.Model, request.PositivePrompt);
        int width = request.Width, height = request.Height;

        if (request.Kind == ModelKind.Erase)
        {
            return EraseFiller.Render(inputs, width, height, fillDrift);
        }

        if (request.Kind == ModelKind.Fill || inputs.Mask is not null || request.Outpaint is not null)
        {
            return FillCompositor.Render(request, inputs, random, fillDrift);
        }

        if (request.Kind is ModelKind.Canny or ModelKind.Depth && inputs.Seed is { } guideMap)
        {
            return GuideTinter.Render(guideMap, width, height, random);
        }

        if (inputs.Guide is { } guide)
        {
            return ReduxVariation.Render(guide, width, height, random);
        }

        var pattern = PatternPainter.Paint(width, height, random);
        if (inputs.Seed is { } start)
        {
            BlendOnto(pattern, start, request.Strength ?? 0.75);
        }

        return pattern;
    }

    /// <summary>Image-to-image: result = start·(1 − strength) + pattern·strength.</summary>
    private static void BlendOnto(SKBitmap pattern, SKBitmap start, double strength)
    {
        using var resized = PixelOps.Resize(start, pattern.Width, pattern.Height);
        var source = resized.GetPixelSpan();
        var output = pattern.GetPixelSpan();
        var keep = (int)Math.Round((1 - strength) * 256);
        for (var p = 0; p < output.Length; p += 4)
        {
            for (var c = 0; c < 3; c++)
            {
                output[p + c] = (byte)(((source[p + c] * keep) + (output[p + c] * (256 - keep)) + 128) >> 8);
            }
        }
    }
}
