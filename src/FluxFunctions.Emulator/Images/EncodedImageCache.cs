using System.Collections.Concurrent;
using System.Security.Cryptography;
using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// Remembers the encoded bytes of recently rendered pixels, keyed by a SHA-256 of the pixels with the format and
/// quality: the same pixels always encode to the same bytes, so a repeated render (deterministic outputs of the same
/// inputs, as in a benchmark batch) skips the encode, which is most of an inference's CPU. The emulator stands in for a
/// remote service; its CPU competes with the pipeline's on the machine that runs both. Bounded: emptied when full.
/// </summary>
internal sealed class EncodedImageCache
{
    /// <summary>How many encoded images are kept at most.</summary>
    public const int Capacity = 64;

    private readonly ConcurrentDictionary<(string Pixels, ImageFormat Format, int Quality), byte[]> entries = new();

    /// <summary>The encoded bytes of <paramref name="bitmap"/> (shared: callers must not change them).</summary>
    public byte[] Encode(SKBitmap bitmap, ImageFormat format, int quality)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        var key = (Convert.ToHexString(SHA256.HashData(bitmap.GetPixelSpan())) + bitmap.Info.ColorType + bitmap.Width + "x" + bitmap.Height, format, quality);
        if (entries.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var bytes = ImageCodec.Encode(bitmap, format, quality);
        if (entries.Count >= Capacity)
        {
            entries.Clear();
        }

        entries[key] = bytes;
        return bytes;
    }
}
