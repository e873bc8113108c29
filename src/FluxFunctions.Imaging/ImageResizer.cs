using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>Resizes 32-bit RGBA bitmaps: exact 2× box reductions while far too large, then Mitchell cubic.</summary>
internal static class ImageResizer
{
    private static readonly SKSamplingOptions Halving = new(SKFilterMode.Linear, SKMipmapMode.None);
    private static readonly SKSamplingOptions Final = new(SKCubicResampler.Mitchell);

    /// <summary>A new bitmap of exactly <paramref name="width"/> × <paramref name="height"/> (stretched if the aspect differs).</summary>
    public static SKBitmap Resize(SKBitmap source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Width == width && source.Height == height)
        {
            return PixelOps.Copy(source);
        }

        var current = source;
        try
        {
            while (current.Width >= 2 * width && current.Height >= 2 * height)
            {
                var half = new SKBitmap(current.Info.WithSize(current.Width / 2, current.Height / 2));
                Scale(current, half, Halving);
                if (!ReferenceEquals(current, source))
                {
                    current.Dispose();
                }

                current = half;
            }

            var result = new SKBitmap(source.Info.WithSize(width, height));
            Scale(current, result, Final);
            return result;
        }
        finally
        {
            if (!ReferenceEquals(current, source))
            {
                current.Dispose();
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="width"/> × <paramref name="height"/> keeping the aspect ratio: the centred part of the
    /// source with the target's aspect ratio is cut out and resized ("cover").
    /// </summary>
    public static SKBitmap ResizeCover(SKBitmap source, int width, int height, out PixelRect used)
    {
        ArgumentNullException.ThrowIfNull(source);
        used = CoverRect(source.Width, source.Height, width, height);
        if (used.Width == source.Width && used.Height == source.Height)
        {
            return Resize(source, width, height);
        }

        using var cropped = Crop(source, used);
        return Resize(cropped, width, height);
    }

    /// <summary>The centred rectangle of the source with the target's aspect ratio (the whole source when they match within half a pixel).</summary>
    public static PixelRect CoverRect(int sourceWidth, int sourceHeight, int width, int height)
    {
        var target = width / (double)height;
        var source = sourceWidth / (double)sourceHeight;
        if (source > target)
        {
            var w = (int)Math.Round(sourceHeight * target);
            return w >= sourceWidth ? new PixelRect(0, 0, sourceWidth, sourceHeight) : new PixelRect((sourceWidth - w) / 2, 0, Math.Max(1, w), sourceHeight);
        }

        var h = (int)Math.Round(sourceWidth / target);
        return h >= sourceHeight ? new PixelRect(0, 0, sourceWidth, sourceHeight) : new PixelRect(0, (sourceHeight - h) / 2, sourceWidth, Math.Max(1, h));
    }

    /// <summary>A copy of a rectangle of the source.</summary>
    public static SKBitmap Crop(SKBitmap source, PixelRect rect)
    {
        PixelOps.RequireRgba(source);
        var result = new SKBitmap(source.Info.WithSize(rect.Width, rect.Height));
        var src = source.GetPixelSpan();
        var dst = result.GetPixelSpan();
        var rowBytes = rect.Width * 4;
        for (var y = 0; y < rect.Height; y++)
        {
            src.Slice((((rect.Y + y) * source.Width) + rect.X) * 4, rowBytes).CopyTo(dst.Slice(y * rowBytes, rowBytes));
        }

        return result;
    }

    private static void Scale(SKBitmap from, SKBitmap to, SKSamplingOptions sampling)
    {
        if (!from.ScalePixels(to, sampling))
        {
            throw new InvalidOperationException($"SkiaSharp could not scale {from.Width}×{from.Height} to {to.Width}×{to.Height}.");
        }
    }
}
