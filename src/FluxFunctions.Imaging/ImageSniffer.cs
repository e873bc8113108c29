namespace FluxFunctions.Imaging;

/// <summary>Tells what a file is from its first bytes (magic numbers), before any decoder sees it.</summary>
internal static class ImageSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The kind of file.</summary>
    /// <param name="Supported">PNG, JPEG or WebP, when it is one of those.</param>
    /// <param name="Other">The name of another known format (GIF, BMP, a ZIP archive…), when it is one.</param>
    /// <param name="OtherIsImage">The other format is an image format (unsupported) rather than a non-image.</param>
    /// <param name="Truncated">The file is a prefix of a supported signature (cut off before its header).</param>
    public readonly record struct Sniffed(ImageFileFormat? Supported, string? Other, bool OtherIsImage, bool Truncated);

    public static Sniffed Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature))
        {
            return new(ImageFileFormat.Png, null, false, false);
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return new(ImageFileFormat.Jpeg, null, false, false);
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return new(ImageFileFormat.Webp, null, false, false);
        }

        if (IsPrefixOfSupported(data))
        {
            return new(null, null, false, true);
        }

        return OtherFormat(data);
    }

    /// <summary>A WebP file in the lossless flavour (its image chunk is VP8L).</summary>
    public static bool IsLosslessWebp(ReadOnlySpan<byte> data)
    {
        var offset = 12;
        while (offset + 8 <= data.Length)
        {
            var fourCc = data.Slice(offset, 4);
            if (fourCc.SequenceEqual("VP8L"u8))
            {
                return true;
            }

            if (fourCc.SequenceEqual("VP8 "u8))
            {
                return false;
            }

            var size = data[offset + 4] | (data[offset + 5] << 8) | (data[offset + 6] << 16) | (data[offset + 7] << 24);
            if (size < 0)
            {
                return false;
            }

            offset += 8 + size + (size & 1);
        }

        return false;
    }

    private static bool IsPrefixOfSupported(ReadOnlySpan<byte> data)
    {
        if (data.Length < PngSignature.Length && PngSignature.StartsWith(data))
        {
            return data.Length >= 2;
        }

        if (data.Length < 3 && data.Length >= 2 && data[0] == 0xFF && data[1] == 0xD8)
        {
            return true;
        }

        return data.Length is >= 4 and < 12 && data[..4].SequenceEqual("RIFF"u8)
            && (data.Length < 8 || "WEBP"u8.StartsWith(data[8..]));
    }

    private static Sniffed OtherFormat(ReadOnlySpan<byte> data)
    {
        static Sniffed Image(string name) => new(null, name, true, false);
        static Sniffed NonImage(string name) => new(null, name, false, false);

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return Image("GIF");
        }

        if (data.Length >= 26 && data.StartsWith("BM"u8) && data[6] == 0 && data[7] == 0 && data[8] == 0 && data[9] == 0)
        {
            return Image("BMP");
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return Image("TIFF");
        }

        if (data.StartsWith("8BPS"u8))
        {
            return Image("a Photoshop document (PSD)");
        }

        if (data.Length >= 6 && data[0] == 0 && data[1] == 0 && (data[2] == 1 || data[2] == 2) && data[3] == 0 && data[4] != 0)
        {
            return Image("ICO");
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || data.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]))
        {
            return Image("JPEG XL");
        }

        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = data[8..12];
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
            {
                return Image("AVIF");
            }

            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("hevc"u8))
            {
                return Image("HEIC");
            }

            return NonImage("an MP4/QuickTime media file");
        }

        if (data.StartsWith("RIFF"u8))
        {
            return NonImage("a RIFF file (audio or video)");
        }

        if (data.StartsWith("PK\u0003\u0004"u8) || data.StartsWith("PK\u0005\u0006"u8))
        {
            return NonImage("a ZIP archive");
        }

        if (data.StartsWith("%PDF"u8))
        {
            return NonImage("a PDF document");
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return NonImage("a gzip archive");
        }

        var text = data[..Math.Min(data.Length, 64)].TrimStart(" \t\r\n\uFEFF"u8);
        if (text.StartsWith("<svg"u8) || text.StartsWith("<?xml"u8))
        {
            return NonImage("XML/SVG (vector images are not supported)");
        }

        if (text.StartsWith("{"u8) || text.StartsWith("["u8))
        {
            return NonImage("JSON text");
        }

        if (text.StartsWith("<"u8))
        {
            return NonImage("HTML/XML text");
        }

        return new(null, null, false, false);
    }
}
