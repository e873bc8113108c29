namespace FluxFunctions.Imaging;

/// <summary>
/// Estimates the quality a JPEG was written at from its luminance quantisation table (the IJG scaling of the
/// ITU-T T.81 Annex K table that libjpeg, libjpeg-turbo, Skia, Pillow and most tools use). Header only: the scan is
/// never read.
/// </summary>
/// <remarks>
/// Re-encoding a resized JPEG at a higher quality than it was written at adds bytes, not detail; the preparer encodes
/// at the lower of the configured quality and this estimate. Tables from other encoders (cameras) give a nearby
/// number, which is all that is needed here.
/// </remarks>
public static class JpegQualityEstimator
{
    /// <summary>Annex K.1 luminance table; only its sum is used, so the order (natural or zigzag) does not matter.</summary>
    private static readonly int StandardLuminanceSum = Sum([
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ]);

    /// <summary>The estimated IJG quality (1–100), or null when <paramref name="jpeg"/> is not a JPEG or has no luminance table before its first scan.</summary>
    public static int? Estimate(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            return null;
        }

        var at = 2;
        while (at + 4 <= jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                return null;
            }

            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2; // no length
                continue;
            }

            if (marker is 0xDA or 0xD9)
            {
                return null; // scan or end reached without a luminance table
            }

            var length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (length < 2 || at + 2 + length > jpeg.Length)
            {
                return null;
            }

            if (marker == 0xDB && FromTables(jpeg.Slice(at + 4, length - 2)) is { } quality)
            {
                return quality;
            }

            at += 2 + length;
        }

        return null;
    }

    /// <summary>Reads the DQT segment's tables; the quality from table 0 (luminance), if present.</summary>
    private static int? FromTables(ReadOnlySpan<byte> segment)
    {
        var at = 0;
        while (at < segment.Length)
        {
            var precision = segment[at] >> 4;
            var id = segment[at] & 0x0F;
            var entrySize = precision == 0 ? 1 : 2;
            var end = at + 1 + (64 * entrySize);
            if (precision > 1 || end > segment.Length)
            {
                return null;
            }

            if (id == 0)
            {
                var sum = 0;
                for (var i = 0; i < 64; i++)
                {
                    var p = at + 1 + (i * entrySize);
                    sum += entrySize == 1 ? segment[p] : (segment[p] << 8) | segment[p + 1];
                }

                return FromScale(100.0 * sum / StandardLuminanceSum);
            }

            at = end;
        }

        return null;
    }

    /// <summary>Inverts the IJG scaling: scale = 5000/q below 50, 200 − 2q from 50.</summary>
    private static int FromScale(double scale)
    {
        var quality = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
        return Math.Clamp((int)Math.Round(quality, MidpointRounding.AwayFromZero), 1, 100);
    }

    private static int Sum(ReadOnlySpan<int> values)
    {
        var sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }
}
