using SkiaSharp;

namespace FluxFunctions.Testing;

/// <summary>
/// Measures how visible the seam of a Fill result is: the mean absolute difference (levels of 255, over R, G and B)
/// between the result and the original on a band just outside the masked rectangle — the feathered edge, where the
/// generated image is blended into the original. A drifted (tinted) generation shows there as a step against the
/// untouched original around it; a seamless one does not.
/// </summary>
public static class Seams
{
    /// <summary>
    /// Mean |result − original| over the pixels outside <paramref name="masked"/> whose distance to it is at most
    /// <paramref name="band"/> (Euclidean), and how many pixels that is.
    /// </summary>
    public static (double Mean, long Pixels) Difference(SKBitmap original, SKBitmap result, SKRectI masked, int band)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(result);
        if (original.Width != result.Width || original.Height != result.Height)
        {
            throw new ArgumentException($"The result is {result.Width}×{result.Height}, the original {original.Width}×{original.Height}.", nameof(result));
        }

        var a = TestImages.PixelsOf(original);
        var b = TestImages.PixelsOf(result);
        long sum = 0, pixels = 0;
        for (var y = Math.Max(0, masked.Top - band); y < Math.Min(original.Height, masked.Bottom + band); y++)
        {
            for (var x = Math.Max(0, masked.Left - band); x < Math.Min(original.Width, masked.Right + band); x++)
            {
                var dx = x < masked.Left ? masked.Left - x : x >= masked.Right ? x - masked.Right + 1 : 0;
                var dy = y < masked.Top ? masked.Top - y : y >= masked.Bottom ? y - masked.Bottom + 1 : 0;
                var d2 = (dx * dx) + (dy * dy);
                if (d2 == 0 || d2 > band * band)
                {
                    continue;
                }

                var i = (y * original.Width) + x;
                sum += Channel(a[i], b[i], 0) + Channel(a[i], b[i], 8) + Channel(a[i], b[i], 16);
                pixels++;
            }
        }

        return (pixels == 0 ? 0 : sum / (3.0 * pixels), pixels);
    }

    /// <summary>Mean |result − original| (levels, over R, G and B) inside <paramref name="rect"/>.</summary>
    public static double MeanDifferenceInside(SKBitmap original, SKBitmap result, SKRectI rect)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(result);
        var a = TestImages.PixelsOf(original);
        var b = TestImages.PixelsOf(result);
        long sum = 0, pixels = 0;
        for (var y = rect.Top; y < rect.Bottom; y++)
        {
            for (var x = rect.Left; x < rect.Right; x++)
            {
                var i = (y * original.Width) + x;
                sum += Channel(a[i], b[i], 0) + Channel(a[i], b[i], 8) + Channel(a[i], b[i], 16);
                pixels++;
            }
        }

        return sum / (3.0 * pixels);
    }

    private static int Channel(uint a, uint b, int shift) => Math.Abs((int)((a >> shift) & 0xFF) - (int)((b >> shift) & 0xFF));
}
