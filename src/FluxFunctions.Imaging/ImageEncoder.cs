using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>Writes bitmaps and <see cref="GrayImage"/>s as PNG, JPEG or WebP.</summary>
public static class ImageEncoder
{
    /// <summary>
    /// Encodes a bitmap. JPEG has no alpha: transparent pixels are composited onto white first (never black).
    /// </summary>
    /// <param name="lossless">For WebP: write lossless instead of following <see cref="EncodeOptions.WebpLossless"/>.</param>
    public static byte[] Encode(SKBitmap bitmap, ImageFileFormat format, EncodeOptions? options = null, bool? lossless = null)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        options ??= EncodeOptions.Default;
        if (format == ImageFileFormat.Jpeg && bitmap.AlphaType != SKAlphaType.Opaque && ImageDecoder.AnyTransparent(bitmap))
        {
            using var flat = PixelOps.FlattenOntoWhite(bitmap);
            return Encode(flat, format, options, lossless);
        }

        using var pixmap = bitmap.PeekPixels();
        using var data = format switch
        {
            ImageFileFormat.Png => pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, Math.Clamp(options.PngCompressionLevel, 0, 9))),
            ImageFileFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(Math.Clamp(options.JpegQuality, 1, 100), SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            ImageFileFormat.Webp => pixmap.Encode(new SKWebpEncoderOptions(
                lossless ?? options.WebpLossless ? SKWebpEncoderCompression.Lossless : SKWebpEncoderCompression.Lossy,
                Math.Clamp(options.WebpQuality, 1, 100))),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        return data?.ToArray() ?? throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width}×{bitmap.Height} {bitmap.ColorType} bitmap as {format.Name()}.");
    }

    /// <summary>Encodes a grayscale image as an 8-bit grayscale PNG (masks and edge maps: small and lossless).</summary>
    public static byte[] EncodePng(GrayImage image, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var bitmap = image.ToBitmap();
        return Encode(bitmap, ImageFileFormat.Png, options);
    }
}
