using System.Runtime.InteropServices;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>Turns and mirrors stored pixels into the upright image the EXIF orientation tag (1–8) describes.</summary>
internal static class Orientation
{
    /// <summary>A new upright bitmap (the source is left alone), or the source itself when the orientation is 1.</summary>
    public static SKBitmap ToUpright(SKBitmap source, int exifOrientation)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (exifOrientation is < 2 or > 8)
        {
            return source;
        }

        if (source.BytesPerPixel != 4)
        {
            throw new ArgumentException("Expected a 32-bit bitmap.", nameof(source));
        }

        int w = source.Width, h = source.Height;
        var swaps = exifOrientation >= 5;
        var target = new SKBitmap(source.Info.WithSize(swaps ? h : w, swaps ? w : h));
        var dw = target.Width;

        // For each upright pixel (x, y), the stored pixel it comes from.
        RowBands.For(target.Height, (long)w * h, (start, end) =>
        {
            var src = MemoryMarshal.Cast<byte, uint>(source.GetPixelSpan());
            var dst = MemoryMarshal.Cast<byte, uint>(target.GetPixelSpan());
            for (var y = start; y < end; y++)
            {
                var row = dst.Slice(y * dw, dw);
                for (var x = 0; x < dw; x++)
                {
                    var (sx, sy) = exifOrientation switch
                    {
                        2 => (w - 1 - x, y),
                        3 => (w - 1 - x, h - 1 - y),
                        4 => (x, h - 1 - y),
                        5 => (y, x),
                        6 => (y, h - 1 - x),
                        7 => (w - 1 - y, h - 1 - x),
                        _ => (w - 1 - y, x),
                    };
                    row[x] = src[(sy * w) + sx];
                }
            }
        });

        return target;
    }
}
