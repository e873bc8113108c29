using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// Emulated FLUX.1 Redux: a variation of the guide image, resized to the output, mirrored or not and hue-rotated by a
/// seed-derived angle (luminance-preserving rotation).
/// </summary>
internal static class ReduxVariation
{
    /// <summary>Renders one result.</summary>
    public static SKBitmap Render(SKBitmap guide, int width, int height, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(guide);
        ArgumentNullException.ThrowIfNull(random);
        var mirror = random.Next(0, 2) == 1;
        var angle = random.NextFloat(60, 300) * MathF.PI / 180f;
        float cos = MathF.Cos(angle), sin = MathF.Sin(angle);
        ReadOnlySpan<float> m =
        [
            0.213f + (cos * 0.787f) - (sin * 0.213f), 0.715f - (cos * 0.715f) - (sin * 0.715f), 0.072f - (cos * 0.072f) + (sin * 0.928f),
            0.213f - (cos * 0.213f) + (sin * 0.143f), 0.715f + (cos * 0.285f) + (sin * 0.140f), 0.072f - (cos * 0.072f) - (sin * 0.283f),
            0.213f - (cos * 0.213f) - (sin * 0.787f), 0.715f - (cos * 0.715f) + (sin * 0.715f), 0.072f + (cos * 0.928f) + (sin * 0.072f),
        ];

        using var resized = PixelOps.Resize(guide, width, height);
        var source = resized.GetPixelSpan();
        var result = PixelOps.NewCanvasBitmap(width, height);
        var output = result.GetPixelSpan();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var s = ((y * width) + (mirror ? width - 1 - x : x)) * 4;
                var p = ((y * width) + x) * 4;
                float r = source[s], g = source[s + 1], b = source[s + 2];
                output[p] = PixelOps.Clamp((int)MathF.Round((m[0] * r) + (m[1] * g) + (m[2] * b)));
                output[p + 1] = PixelOps.Clamp((int)MathF.Round((m[3] * r) + (m[4] * g) + (m[5] * b)));
                output[p + 2] = PixelOps.Clamp((int)MathF.Round((m[6] * r) + (m[7] * g) + (m[8] * b)));
                output[p + 3] = 255;
            }
        }

        return result;
    }
}
