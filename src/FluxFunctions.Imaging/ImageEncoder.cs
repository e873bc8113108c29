using System.Runtime.InteropServices;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>Writes bitmaps and <see cref="GrayImage"/>s as PNG, JPEG or WebP.</summary>
/// <remarks>
/// PNG is where the time goes: libpng's adaptive filter choice (all five filters tried on every row) at zlib level 6
/// took about 200 ms of CPU for a 1024² photo, most of a Fill job's storing stage. The settings below were measured
/// (docs/performance.md) for what they cost in bytes: PNG stays lossless whatever they are, only the size moves.
/// </remarks>
public static class ImageEncoder
{
    /// <summary>
    /// Row filters tried for colour PNGs: Sub and Up only. Average and Paeth cost the most to try and did not pay on
    /// photos: at the same zlib level the pair's files were 3 % smaller to 0.6 % larger than with all five (libpng's
    /// per-row choice by the sum of absolute differences is a heuristic, not the smallest file).
    /// </summary>
    public const SKPngEncoderFilterFlags ImageFilters = SKPngEncoderFilterFlags.Sub | SKPngEncoderFilterFlags.Up;

    /// <summary>
    /// Row filter of grayscale maps (masks, edge maps): Up only, at zlib level <see cref="MapCompressionLevel"/>. Their
    /// long runs of 0 and 255 compress under any filter: trying all five took a 1024² mask from 2.6 to 8.3 ms and an
    /// edge map from 5.0 to 9.3 ms, for files 4 % and 11 % smaller.
    /// </summary>
    public const SKPngEncoderFilterFlags MapFilters = SKPngEncoderFilterFlags.Up;

    /// <summary>zlib level of grayscale maps: 6 as before. They are sent to Runware (bytes count), and levels 1–3 made an edge map half again as large.</summary>
    public const int MapCompressionLevel = 6;

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
            ImageFileFormat.Png => pixmap.Encode(new SKPngEncoderOptions(ImageFilters, Math.Clamp(options.PngCompressionLevel, 0, 9))),
            ImageFileFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(Math.Clamp(options.JpegQuality, 1, 100), SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            ImageFileFormat.Webp => pixmap.Encode(new SKWebpEncoderOptions(
                lossless ?? options.WebpLossless ? SKWebpEncoderCompression.Lossless : SKWebpEncoderCompression.Lossy,
                Math.Clamp(options.WebpQuality, 1, 100))),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        return data?.ToArray() ?? throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width}×{bitmap.Height} {bitmap.ColorType} bitmap as {format.Name()}.");
    }

    /// <summary>Encodes a grayscale image as an 8-bit grayscale PNG (masks and edge maps: small and lossless), <see cref="MapFilters"/> at <see cref="MapCompressionLevel"/>.</summary>
    public static byte[] EncodePng(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);

        // Encoded from the array itself (pinned meanwhile), not from a copy in a bitmap of its own.
        var pinned = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque), pinned.AddrOfPinnedObject(), image.Width);
            using var data = pixmap.Encode(new SKPngEncoderOptions(MapFilters, MapCompressionLevel));
            return data?.ToArray() ?? throw new InvalidOperationException($"SkiaSharp could not encode a {image.Width}×{image.Height} grayscale map as PNG.");
        }
        finally
        {
            pinned.Free();
        }
    }
}
