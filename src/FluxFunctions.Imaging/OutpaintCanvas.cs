using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// The seed image of an outpaint job at the sent size: the original scaled into its place and the padding filled
/// with the original's edges stretched outwards and heavily blurred (colour context for the model, no black borders
/// and no hard streaks).
/// </summary>
internal static class OutpaintCanvas
{
    public static SKBitmap Build(SKBitmap original, FillPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(placement);
        var (x0, y0, x1, y1) = SentRect(placement);
        using var scaled = ImageResizer.Resize(original, Math.Max(1, x1 - x0), Math.Max(1, y1 - y0));
        using var scaledImage = SKImage.FromBitmap(scaled);

        var info = new SKImageInfo(placement.SentWidth, placement.SentHeight, SKColorType.Rgba8888, SKAlphaType.Opaque, original.ColorSpace);
        using var stretched = new SKBitmap(info);
        using (var canvas = new SKCanvas(stretched))
        using (var shader = scaledImage.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, new SKSamplingOptions(SKFilterMode.Linear), SKMatrix.CreateTranslation(x0, y0)))
        using (var paint = new SKPaint { Shader = shader })
        {
            canvas.DrawRect(0, 0, info.Width, info.Height, paint);
        }

        var result = new SKBitmap(info);
        using (var canvas = new SKCanvas(result))
        using (var stretchedImage = SKImage.FromBitmap(stretched))
        {
            var sigma = Math.Max(4f, Math.Min(info.Width, info.Height) * 0.04f);
            using (var blur = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp))
            using (var paint = new SKPaint { ImageFilter = blur })
            {
                canvas.DrawImage(stretchedImage, 0, 0, SKSamplingOptions.Default, paint);
            }

            canvas.DrawImage(scaledImage, x0, y0, SKSamplingOptions.Default);
        }

        return result;
    }

    /// <summary>Where the original lands in the sent image (rounded to whole pixels).</summary>
    public static (int X0, int Y0, int X1, int Y1) SentRect(FillPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var sx = placement.SentWidth / (double)placement.Region.Width;
        var sy = placement.SentHeight / (double)placement.Region.Height;
        var o = placement.Original;
        var r = placement.Region;
        return (
            (int)Math.Round((o.X - r.X) * sx),
            (int)Math.Round((o.Y - r.Y) * sy),
            (int)Math.Round((o.Right - r.X) * sx),
            (int)Math.Round((o.Bottom - r.Y) * sy));
    }
}
