namespace FluxFunctions.Api;

/// <summary>Recognises an image format by its first bytes (never by name or declared type).</summary>
public static class ImageSniffer
{
    /// <summary>The format: <c>png</c>, <c>jpg</c>, <c>webp</c>; other known image formats by name; null when not an image.</summary>
    public static string? Sniff(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (data.Length >= 8 && data[..8].SequenceEqual(png))
        {
            return "png";
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return "jpg";
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return "webp";
        }

        if (data.Length >= 6 && (data[..6].SequenceEqual("GIF87a"u8) || data[..6].SequenceEqual("GIF89a"u8)))
        {
            return "gif";
        }

        if (data.Length >= 2 && data[0] == (byte)'B' && data[1] == (byte)'M')
        {
            return "bmp";
        }

        if (data.Length >= 4 && (data[..4].SequenceEqual("II*\0"u8) || data[..4].SequenceEqual("MM\0*"u8)))
        {
            return "tiff";
        }

        return null;
    }

    /// <summary>Whether the pipeline accepts the format (PNG, JPEG, WebP).</summary>
    public static bool IsSupported(string format) => format is "png" or "jpg" or "webp";

    public static string ContentType(string format) => format switch
    {
        "png" => "image/png",
        "jpg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    };
}
