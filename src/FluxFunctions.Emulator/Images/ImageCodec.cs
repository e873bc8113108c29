using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>Decodes and encodes images with SkiaSharp. Decoded bitmaps are always RGBA 8888, premultiplied.</summary>
internal static class ImageCodec
{
    /// <summary>Largest side of an input image.</summary>
    public const int MaxSide = 16_384;

    /// <summary>Largest pixel count of an input image (decompression bombs are rejected by header before decoding).</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    /// <summary>Fully decodes encoded bytes, or says why they are not a usable image.</summary>
    /// <param name="bytes">The encoded image.</param>
    /// <param name="bitmap">The decoded bitmap (caller disposes), or null.</param>
    /// <param name="sourceFormat">The encoded format Skia detected.</param>
    /// <param name="problem">Why the bytes are not usable, or null.</param>
    public static bool TryDecode(byte[] bytes, out SKBitmap? bitmap, out SKEncodedImageFormat sourceFormat, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        bitmap = null;
        sourceFormat = default;
        problem = null;
        if (bytes.Length == 0)
        {
            problem = "is empty";
            return false;
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            problem = "is not a recognised image (PNG, JPEG, WEBP, GIF or BMP)";
            return false;
        }

        sourceFormat = codec.EncodedFormat;
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
        {
            problem = $"is {info.Width}x{info.Height}, beyond the emulator's limit ({MaxSide} per side, {MaxPixels} pixels)";
            return false;
        }

        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var decoded = new SKBitmap(target);
        var result = codec.GetPixels(target, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            decoded.Dispose();
            problem = $"cannot be decoded ({result}: truncated or corrupt)";
            return false;
        }

        bitmap = decoded;
        return true;
    }

    /// <summary>Decodes bytes that were validated before; throws when they are not an image.</summary>
    public static SKBitmap Decode(byte[] bytes) =>
        TryDecode(bytes, out var bitmap, out _, out var problem)
            ? bitmap!
            : throw new InvalidDataException("The image " + problem + ".");

    /// <summary>
    /// Encodes a bitmap; <paramref name="quality"/> applies to JPG and WEBP. PNG is written the quick way (row filters
    /// Sub and Up, zlib level 3, as the pipeline writes its own) rather than with libpng's defaults (all five filters
    /// tried on every row, level 6: about 200 ms of CPU for a 1024² image): the emulator stands in for a remote service,
    /// and its CPU competes with the pipeline's on the machine that runs both. Still lossless.
    /// </summary>
    public static byte[] Encode(SKBitmap bitmap, ImageFormat format, int quality)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var pixmap = bitmap.PeekPixels();
        using var data = (format == ImageFormat.Png
                ? pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub | SKPngEncoderFilterFlags.Up, 3))
                : bitmap.Encode(format.ToSkia(), quality))
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        return data.ToArray();
    }
}
