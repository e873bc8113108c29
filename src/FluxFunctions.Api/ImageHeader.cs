using System.Buffers.Binary;

namespace FluxFunctions.Api;

/// <summary>
/// Reads the pixel size an image declares in its header (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X) without decoding
/// anything, so decompression bombs are refused before a decoder allocates for them.
/// </summary>
public static class ImageHeader
{
    /// <summary>The declared size, or null when the header cannot be read.</summary>
    public static (long Width, long Height)? TryReadSize(ReadOnlySpan<byte> data, string format) => format switch
    {
        "png" => Png(data),
        "jpg" => Jpeg(data),
        "webp" => WebP(data),
        _ => null,
    };

    private static (long, long)? Png(ReadOnlySpan<byte> d)
    {
        // Signature (8) + length (4) + "IHDR" (4) + width (4) + height (4).
        if (d.Length < 24 || d[12] != (byte)'I' || d[13] != (byte)'H' || d[14] != (byte)'D' || d[15] != (byte)'R')
        {
            return null;
        }

        return (BinaryPrimitives.ReadUInt32BigEndian(d[16..]), BinaryPrimitives.ReadUInt32BigEndian(d[20..]));
    }

    private static (long, long)? Jpeg(ReadOnlySpan<byte> d)
    {
        var i = 2;
        while (i + 4 <= d.Length)
        {
            if (d[i] != 0xFF)
            {
                return null;
            }

            var marker = d[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (i + 9 > d.Length)
                {
                    return null;
                }

                return (BinaryPrimitives.ReadUInt16BigEndian(d[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]));
            }

            if (length < 2)
            {
                return null;
            }

            i += 2 + length;
        }

        return null;
    }

    private static (long, long)? WebP(ReadOnlySpan<byte> d)
    {
        if (d.Length < 30)
        {
            return null;
        }

        var chunk = d.Slice(12, 4);
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3) then start code 9d 01 2a, then 14-bit width and height.
            return d[23] == 0x9d && d[24] == 0x01 && d[25] == 0x2a
                ? (BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF)
                : null;
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (d[20] != 0x2f)
            {
                return null;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(d[21..]);
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            long w = d[24] | (d[25] << 8) | (d[26] << 16);
            long h = d[27] | (d[28] << 8) | (d[29] << 16);
            return (w + 1, h + 1);
        }

        return null;
    }
}
