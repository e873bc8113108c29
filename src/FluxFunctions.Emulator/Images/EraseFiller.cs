using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// Emulated FLUX Erase: inside the binarised mask (white = remove) the average of the unmasked pixels around it (a box
/// of a quarter of the image's longer side, widened to the whole image where nothing around is unmasked), so the
/// removed area is a smooth blur of its surroundings; outside it the seed image shifted by <c>FillDrift</c> levels, as
/// a real model's VAE round trip drifts colours (so the pipeline's stitch-back is observable).
/// </summary>
internal static class EraseFiller
{
    /// <summary>Renders one result at <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static SKBitmap Render(RenderInputs inputs, int width, int height, int drift)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var original = PixelOps.NewCanvasBitmap(width, height);
        if (inputs.Seed is { } seed)
        {
            PixelOps.DrawStretched(original, seed, null);
        }

        var removed = new bool[width * height];
        if (inputs.Mask is { } maskImage)
        {
            using var scaled = PixelOps.Resize(maskImage, width, height);
            var luminance = PixelOps.Luminance(scaled);
            for (var i = 0; i < removed.Length; i++)
            {
                removed[i] = luminance[i] >= 128;
            }
        }

        var source = original.GetPixelSpan();
        var sums = Integrals(source, removed, width, height);
        var radius = Math.Max(1, Math.Max(width, height) / 8);
        var result = PixelOps.NewCanvasBitmap(width, height);
        var output = result.GetPixelSpan();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                var p = i * 4;
                if (removed[i])
                {
                    var (r, g, b) = sums.Average(x - radius, y - radius, x + radius + 1, y + radius + 1)
                        ?? sums.Average(0, 0, width, height)
                        ?? (128, 128, 128);
                    output[p] = r;
                    output[p + 1] = g;
                    output[p + 2] = b;
                }
                else
                {
                    output[p] = PixelOps.Clamp(source[p] + drift);
                    output[p + 1] = PixelOps.Clamp(source[p + 1] + drift);
                    output[p + 2] = PixelOps.Clamp(source[p + 2] + drift);
                }

                output[p + 3] = 255;
            }
        }

        return result;
    }

    /// <summary>Summed-area tables of the kept pixels' channels and of their count.</summary>
    private static Integral Integrals(ReadOnlySpan<byte> pixels, bool[] removed, int width, int height)
    {
        var stride = width + 1;
        var table = new long[4, stride * (height + 1)];
        for (var y = 0; y < height; y++)
        {
            long r = 0, g = 0, b = 0, n = 0;
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                if (!removed[i])
                {
                    r += pixels[i * 4];
                    g += pixels[(i * 4) + 1];
                    b += pixels[(i * 4) + 2];
                    n++;
                }

                var at = ((y + 1) * stride) + x + 1;
                var above = (y * stride) + x + 1;
                table[0, at] = table[0, above] + r;
                table[1, at] = table[1, above] + g;
                table[2, at] = table[2, above] + b;
                table[3, at] = table[3, above] + n;
            }
        }

        return new Integral(table, width, height);
    }

    private sealed class Integral(long[,] table, int width, int height)
    {
        /// <summary>The average kept colour in [x0, x1) × [y0, y1) (clipped), or null when nothing there is kept.</summary>
        public (byte R, byte G, byte B)? Average(int x0, int y0, int x1, int y1)
        {
            x0 = Math.Clamp(x0, 0, width);
            x1 = Math.Clamp(x1, 0, width);
            y0 = Math.Clamp(y0, 0, height);
            y1 = Math.Clamp(y1, 0, height);
            var n = Sum(3, x0, y0, x1, y1);
            if (n == 0)
            {
                return null;
            }

            return ((byte)(Sum(0, x0, y0, x1, y1) / n), (byte)(Sum(1, x0, y0, x1, y1) / n), (byte)(Sum(2, x0, y0, x1, y1) / n));
        }

        private long Sum(int channel, int x0, int y0, int x1, int y1)
        {
            var stride = width + 1;
            return table[channel, (y1 * stride) + x1] - table[channel, (y0 * stride) + x1] - table[channel, (y1 * stride) + x0] + table[channel, (y0 * stride) + x0];
        }
    }
}
