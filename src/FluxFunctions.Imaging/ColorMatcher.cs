using System.Runtime.InteropServices;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// Colour/tone match of a regenerated region to its surroundings, before compositing. FLUX Fill returns the whole sent
/// image, and the part it was asked to keep comes back slightly shifted in colour and contrast (the VAE round trip);
/// the regenerated part carries the same shift, which shows as a seam against the original around it. The shift is
/// measured on a ring of pixels just outside the feathered mask — where the generated image should equal the
/// original — and undone inside the mask.
/// </summary>
/// <remarks>
/// Per channel of YCbCr (BT.601, full range, as JPEG uses: luma and two colour differences, so tone and tint are matched
/// separately): gain = std(original ring) / std(generated ring), clamped to [<see cref="MinGain"/>, <see cref="MaxGain"/>];
/// offset = mean(original ring) − gain · mean(generated ring); applied to the generated pixels where the mask is not 0.
/// The standard deviations are taken over the means of <see cref="Block"/>×<see cref="Block"/> blocks of ring pixels:
/// the generated image went through the sent size and back (and a model adds its own fine texture), so per-pixel spreads
/// would mistake lost or added fine detail for a change of contrast.
/// Pixels outside the mask are never touched (compositing keeps the original's there). The ring is
/// <see cref="RingWidth"/> px wide (original pixels), within the sent region, where the whole mask is 0 and the original
/// is opaque. Fewer than <see cref="MinRingPixels"/> ring pixels: nothing is changed.
/// </remarks>
public static class ColorMatcher
{
    /// <summary>Width of the ring of original pixels around the mask, in original pixels.</summary>
    public const int RingWidth = 16;

    /// <summary>Fewer ring pixels than this and the statistics mean little: no match.</summary>
    public const int MinRingPixels = 64;

    /// <summary>Contrast is compared on the means of blocks of this many pixels square.</summary>
    public const int Block = 4;

    /// <summary>Fewer whole blocks in the ring than this: means only (gain 1).</summary>
    public const int MinBlocks = 16;

    /// <summary>Lowest contrast gain applied.</summary>
    public const double MinGain = 2.0 / 3;

    /// <summary>Highest contrast gain applied.</summary>
    public const double MaxGain = 1.5;

    /// <summary>The colour space, as recorded in the manifest.</summary>
    public const string Space = "YCbCr (BT.601, full range)";

    /// <summary>
    /// Matches <paramref name="generated"/> (the generated region at the original's scale, <paramref name="region"/>'s
    /// size) to <paramref name="original"/> (the canvas) around the mask pixels inside <paramref name="owned"/>, and
    /// corrects <paramref name="generated"/> in place where the mask is not 0.
    /// </summary>
    public static ColorMatchReport Match(SKBitmap original, SKBitmap generated, GrayImage mask, PixelRect region, PixelRect owned, int crop)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(mask);
        PixelOps.RequireRgba(original);
        PixelOps.RequireRgba(generated);
        var window = owned.Inflate(RingWidth).Intersect(region);
        var ring = Ring(mask, window, owned);
        var orig = MemoryMarshal.Cast<byte, uint>(original.GetPixelSpan());
        var gen = MemoryMarshal.Cast<byte, uint>(generated.GetPixelSpan());

        // Means over every ring pixel; spreads over the means of whole Block×Block blocks of ring pixels, so that fine
        // detail the round trip through the sent size smoothed away does not pass for a loss of contrast.
        var o = new Moments();
        var g = new Moments();
        var blocksAcross = (window.Width + Block - 1) / Block;
        var blocks = new BlockSum[blocksAcross * ((window.Height + Block - 1) / Block)];
        var pairs = new List<(uint Original, uint Generated)>();
        for (var y = 0; y < window.Height; y++)
        {
            var ringRow = ring.Row(y);
            for (var x = 0; x < window.Width; x++)
            {
                int cx = window.X + x, cy = window.Y + y;
                var p = orig[(cy * original.Width) + cx];
                if (ringRow[x] == 0 || (p >> 24) != 0xFF)
                {
                    continue;
                }

                var q = gen[((cy - region.Y) * generated.Width) + (cx - region.X)];
                pairs.Add((p, q));
                o.Add(p);
                g.Add(q);
                (blocks[((y / Block) * blocksAcross) + (x / Block)] ??= new BlockSum()).Add(p, q);
            }
        }

        if (o.Count < MinRingPixels)
        {
            return ColorMatchReport.Skip(crop, o.Count, $"only {o.Count} opaque original pixels around the mask (at least {MinRingPixels} needed)");
        }

        var blockO = new Moments();
        var blockG = new Moments();
        foreach (var block in blocks)
        {
            if (block is { Count: Block * Block })
            {
                blockO.Add(block.Original);
                blockG.Add(block.Generated);
            }
        }

        var transform = new double[6];
        for (var c = 0; c < 3; c++)
        {
            var (sdO, sdG) = (blockO.Stats(c).StdDev, blockG.Stats(c).StdDev);
            var gain = blockO.Count < MinBlocks || sdG < 1e-6 ? 1 : Math.Clamp(sdO / sdG, MinGain, MaxGain);
            transform[c * 2] = gain;
            transform[(c * 2) + 1] = o.Stats(c).Mean - (gain * g.Stats(c).Mean);
        }

        // How far the ring is from the original, before and after (mean absolute difference of R, G, B in levels).
        double before = 0, after = 0;
        foreach (var (p, q) in pairs)
        {
            before += Difference(p, q);
            after += Difference(p, Apply(q, transform));
        }

        // The correction, inside the mask only.
        for (var y = owned.Y; y < owned.Bottom; y++)
        {
            var maskRow = mask.Row(y).Slice(owned.X, owned.Width);
            var genRow = gen.Slice(((y - region.Y) * generated.Width) + (owned.X - region.X), owned.Width);
            for (var x = 0; x < maskRow.Length; x++)
            {
                if (maskRow[x] != 0)
                {
                    genRow[x] = Apply(genRow[x], transform);
                }
            }
        }

        return new ColorMatchReport(
            crop,
            Ran: true,
            Skipped: null,
            o.Count,
            new ChannelMatch(Round(transform[0], 4), Round(transform[1], 2)),
            new ChannelMatch(Round(transform[2], 4), Round(transform[3], 2)),
            new ChannelMatch(Round(transform[4], 4), Round(transform[5], 2)),
            Round(before / (3.0 * o.Count), 3),
            Round(after / (3.0 * o.Count), 3));
    }

    /// <summary>Within <paramref name="window"/>: 255 where a pixel is within <see cref="RingWidth"/> of the mask inside <paramref name="owned"/> and the whole mask is 0.</summary>
    private static GrayImage Ring(GrayImage mask, PixelRect window, PixelRect owned)
    {
        var own = new GrayImage(window.Width, window.Height);
        for (var y = owned.Y; y < owned.Bottom; y++)
        {
            var src = mask.Row(y).Slice(owned.X, owned.Width);
            var dst = own.Row(y - window.Y).Slice(owned.X - window.X, owned.Width);
            for (var x = 0; x < src.Length; x++)
            {
                dst[x] = src[x] != 0 ? (byte)255 : (byte)0;
            }
        }

        var grown = MaskShaper.Shape(own, RingWidth, 0);
        for (var y = 0; y < window.Height; y++)
        {
            var row = grown.Row(y);
            var whole = mask.Row(window.Y + y).Slice(window.X, window.Width);
            for (var x = 0; x < row.Length; x++)
            {
                row[x] = row[x] != 0 && whole[x] == 0 ? (byte)255 : (byte)0;
            }
        }

        return grown;
    }

    private static uint Apply(uint p, double[] t)
    {
        var (y, cb, cr) = ToYCbCr(p);
        y = (y * t[0]) + t[1];
        cb = (cb * t[2]) + t[3];
        cr = (cr * t[4]) + t[5];
        var r = y + (1.402 * (cr - 128));
        var g = y - (0.344136 * (cb - 128)) - (0.714136 * (cr - 128));
        var b = y + (1.772 * (cb - 128));
        return (p & 0xFF000000u) | ((uint)Level(b) << 16) | ((uint)Level(g) << 8) | Level(r);
    }

    private static (double Y, double Cb, double Cr) ToYCbCr(uint p)
    {
        double r = p & 0xFF, g = (p >> 8) & 0xFF, b = (p >> 16) & 0xFF;
        return (
            (0.299 * r) + (0.587 * g) + (0.114 * b),
            128 - (0.168736 * r) - (0.331264 * g) + (0.5 * b),
            128 + (0.5 * r) - (0.418688 * g) - (0.081312 * b));
    }

    private static uint Level(double v) => (uint)Math.Clamp((int)Math.Round(v), 0, 255);

    private static int Difference(uint a, uint b) =>
        Math.Abs((int)(a & 0xFF) - (int)(b & 0xFF)) + Math.Abs((int)((a >> 8) & 0xFF) - (int)((b >> 8) & 0xFF)) + Math.Abs((int)((a >> 16) & 0xFF) - (int)((b >> 16) & 0xFF));

    private static double Round(double v, int digits) => Math.Round(v, digits, MidpointRounding.AwayFromZero);

    /// <summary>Running sums of Y, Cb and Cr and their squares.</summary>
    private sealed class Moments
    {
        private readonly double[] sum = new double[3];
        private readonly double[] squares = new double[3];

        public long Count { get; private set; }

        public void Add(uint p) => Add(ToYCbCr(p));

        public void Add((double Y, double Cb, double Cr) v)
        {
            Accumulate(0, v.Y);
            Accumulate(1, v.Cb);
            Accumulate(2, v.Cr);
            Count++;
        }

        public (double Mean, double StdDev) Stats(int channel)
        {
            var mean = sum[channel] / Count;
            return (mean, Math.Sqrt(Math.Max(0, (squares[channel] / Count) - (mean * mean))));
        }

        private void Accumulate(int channel, double v)
        {
            sum[channel] += v;
            squares[channel] += v * v;
        }
    }

    /// <summary>Sums of the ring pixels of one block, original and generated, in YCbCr.</summary>
    private sealed class BlockSum
    {
        private (double Y, double Cb, double Cr) original;
        private (double Y, double Cb, double Cr) generated;

        public int Count { get; private set; }

        public (double Y, double Cb, double Cr) Original => (original.Y / Count, original.Cb / Count, original.Cr / Count);

        public (double Y, double Cb, double Cr) Generated => (generated.Y / Count, generated.Cb / Count, generated.Cr / Count);

        public void Add(uint o, uint g)
        {
            var a = ToYCbCr(o);
            var b = ToYCbCr(g);
            original = (original.Y + a.Y, original.Cb + a.Cb, original.Cr + a.Cr);
            generated = (generated.Y + b.Y, generated.Cb + b.Cb, generated.Cr + b.Cr);
            Count++;
        }
    }
}

/// <summary>A gain and offset applied to one channel: v' = gain · v + offset.</summary>
public sealed record ChannelMatch(double Gain, double Offset);

/// <summary>What colour matching did for one crop of one result (recorded in the manifest).</summary>
/// <param name="Crop">The crop (0 when the whole image was sent).</param>
/// <param name="Ran">True when the correction was applied.</param>
/// <param name="Skipped">Why it was not, when it was not.</param>
/// <param name="RingPixels">Original pixels in the ring around the mask the statistics came from.</param>
/// <param name="Y">Luma gain and offset.</param>
/// <param name="Cb">Blue-difference gain and offset.</param>
/// <param name="Cr">Red-difference gain and offset.</param>
/// <param name="RingDifferenceBefore">Mean absolute difference (levels, over R, G, B) between the generated and the original ring, as generated.</param>
/// <param name="RingDifferenceAfter">The same with the correction applied.</param>
public sealed record ColorMatchReport(
    int Crop,
    bool Ran,
    string? Skipped,
    long RingPixels,
    ChannelMatch? Y,
    ChannelMatch? Cb,
    ChannelMatch? Cr,
    double? RingDifferenceBefore,
    double? RingDifferenceAfter)
{
    internal static ColorMatchReport Skip(int crop, long ringPixels, string why) => new(crop, false, why, ringPixels, null, null, null, null, null);
}
