using FluxFunctions.Emulator.Validation;
using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// Emulated FLUX.1 Fill: inside the binarised mask (and the outpainted border) the seed-derived pattern; outside it the
/// seed image shifted by <c>FillDrift</c> levels per channel, as a real model's VAE round trip drifts colours (so the
/// pipeline's stitch-back of the original pixels is observable). With an ACE++ reference the masked area shows the
/// reference instead of the pattern, so a reference-guided fill is recognisable.
/// </summary>
internal static class FillCompositor
{
    /// <summary>Renders one result.</summary>
    public static SKBitmap Render(InferenceRequest request, RenderInputs inputs, SeededRandom random, int drift)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inputs);
        int width = request.Width, height = request.Height;
        var inner = request.Outpaint is { } o
            ? new SKRectI(o.Left, o.Top, width - o.Right, height - o.Bottom)
            : new SKRectI(0, 0, width, height);

        using var original = PixelOps.NewCanvasBitmap(width, height);
        if (inputs.Seed is { } seed)
        {
            PixelOps.DrawStretched(original, seed, inner);
        }

        var mask = BuildMask(inputs.Mask, width, height, inner, request.Outpaint is not null);
        // ACE++ with a reference (root referenceImages): the masked area shows the reference, stretched over the output.
        using var pattern = inputs.Guide is { } reference ? Stretched(reference, width, height) : PatternPainter.Paint(width, height, random);

        var result = PixelOps.NewCanvasBitmap(width, height);
        var output = result.GetPixelSpan();
        var basePixels = original.GetPixelSpan();
        var patternPixels = pattern.GetPixelSpan();
        for (int i = 0, p = 0; i < mask.Length; i++, p += 4)
        {
            if (mask[i])
            {
                patternPixels.Slice(p, 4).CopyTo(output.Slice(p, 4));
            }
            else
            {
                output[p] = PixelOps.Clamp(basePixels[p] + drift);
                output[p + 1] = PixelOps.Clamp(basePixels[p + 1] + drift);
                output[p + 2] = PixelOps.Clamp(basePixels[p + 2] + drift);
                output[p + 3] = 255;
            }
        }

        return result;
    }

    private static SKBitmap Stretched(SKBitmap reference, int width, int height)
    {
        var canvas = PixelOps.NewCanvasBitmap(width, height);
        PixelOps.DrawStretched(canvas, reference, new SKRectI(0, 0, width, height));
        return canvas;
    }

    /// <summary>True where the output is regenerated: mask luminance of at least 128, and everything outside the seed area.</summary>
    private static bool[] BuildMask(SKBitmap? maskImage, int width, int height, SKRectI inner, bool outpaint)
    {
        var mask = new bool[width * height];
        if (maskImage is not null)
        {
            using var scaled = PixelOps.NewCanvasBitmap(width, height);
            PixelOps.DrawStretched(scaled, maskImage, inner);
            var luminance = PixelOps.Luminance(scaled);
            for (var i = 0; i < mask.Length; i++)
            {
                mask[i] = luminance[i] >= 128;
            }
        }

        if (outpaint)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    if (x < inner.Left || x >= inner.Right || y < inner.Top || y >= inner.Bottom)
                    {
                        mask[(y * width) + x] = true;
                    }
                }
            }
        }

        return mask;
    }
}
