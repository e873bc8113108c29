namespace FluxFunctions.Imaging;

/// <summary>
/// Binarises masks and shapes them: grow (dilation by a disc of <c>grow</c> pixels) and feather (a soft edge
/// <c>feather</c> pixels wide OUTSIDE the grown mask, falling off with a smoothstep of the Euclidean distance).
/// Pixels of the grown mask stay 255 and pixels farther than grow + feather stay exactly 0, so what the user marked
/// is always fully regenerated and what lies beyond the soft edge is never touched. Distances come from an exact
/// Euclidean distance transform (Felzenszwalb–Huttenlocher) over the mask's bounding box only.
/// </summary>
internal static class MaskShaper
{
    /// <summary>Sets pixels ≥ <paramref name="threshold"/> to 255 and the others to 0; returns how many are 255.</summary>
    public static long Binarize(GrayImage mask, byte threshold = 128)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var pixels = mask.Span;
        long set = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            var on = pixels[i] >= threshold;
            pixels[i] = on ? (byte)255 : (byte)0;
            set += on ? 1 : 0;
        }

        return set;
    }

    /// <summary>The smallest rectangle holding every non-zero pixel; null for an all-zero image.</summary>
    public static PixelRect? BoundingBox(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (var y = 0; y < mask.Height; y++)
        {
            var row = mask.Row(y);
            var first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
            {
                continue;
            }

            var last = row.LastIndexOfAnyExcept((byte)0);
            minX = Math.Min(minX, first);
            maxX = Math.Max(maxX, last);
            minY = Math.Min(minY, y);
            maxY = y;
        }

        return maxY < 0 ? null : new PixelRect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /// <summary>A new mask: the binary <paramref name="mask"/> grown by <paramref name="grow"/> px and feathered over <paramref name="feather"/> px.</summary>
    public static GrayImage Shape(GrayImage mask, int grow, int feather)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfNegative(grow);
        ArgumentOutOfRangeException.ThrowIfNegative(feather);
        var result = new GrayImage(mask.Width, mask.Height, (byte[])mask.Pixels.Clone());
        if ((grow == 0 && feather == 0) || BoundingBox(mask) is not { } box)
        {
            return result;
        }

        // Only pixels within reach of the mask can change.
        var reach = grow + feather;
        var x0 = Math.Max(0, box.X - reach);
        var y0 = Math.Max(0, box.Y - reach);
        var x1 = Math.Min(mask.Width, box.Right + reach);
        var y1 = Math.Min(mask.Height, box.Bottom + reach);
        int rw = x1 - x0, rh = y1 - y0;

        // Column pass: distance in rows to the nearest mask pixel of the same column, capped (beyond reach it cannot matter).
        var cap = reach + 1;
        var vertical = new int[rw * rh];
        for (var y = 0; y < rh; y++)
        {
            var src = mask.Row(y0 + y).Slice(x0, rw);
            var dst = vertical.AsSpan(y * rw, rw);
            var above = y > 0 ? vertical.AsSpan((y - 1) * rw, rw) : default;
            for (var x = 0; x < rw; x++)
            {
                dst[x] = src[x] != 0 ? 0 : y > 0 ? Math.Min(cap, above[x] + 1) : cap;
            }
        }

        for (var y = rh - 2; y >= 0; y--)
        {
            var dst = vertical.AsSpan(y * rw, rw);
            var below = vertical.AsSpan((y + 1) * rw, rw);
            for (var x = 0; x < rw; x++)
            {
                dst[x] = Math.Min(dst[x], below[x] + 1);
            }
        }

        // Row pass: squared Euclidean distance via the lower envelope of parabolas, then the mask value.
        long growSquared = (long)grow * grow;
        long reachSquared = (long)reach * reach;
        RowBands.For(rh, (long)rw * rh, (start, end) =>
        {
            var f = new long[rw];
            var v = new int[rw];
            var z = new double[rw + 1];
            for (var y = start; y < end; y++)
            {
                var g = vertical.AsSpan(y * rw, rw);
                for (var x = 0; x < rw; x++)
                {
                    f[x] = (long)g[x] * g[x];
                }

                var k = 0;
                v[0] = 0;
                z[0] = double.NegativeInfinity;
                z[1] = double.PositiveInfinity;
                for (var q = 1; q < rw; q++)
                {
                    // z[0] is −∞, so this stops at the first parabola at the latest.
                    double s;
                    while (true)
                    {
                        var p = v[k];
                        s = ((f[q] + ((long)q * q)) - (f[p] + ((long)p * p))) / (2.0 * (q - p));
                        if (s > z[k])
                        {
                            break;
                        }

                        k--;
                    }

                    k++;
                    v[k] = q;
                    z[k] = s;
                    z[k + 1] = double.PositiveInfinity;
                }

                var row = result.Row(y0 + y).Slice(x0, rw);
                k = 0;
                for (var x = 0; x < rw; x++)
                {
                    while (z[k + 1] < x)
                    {
                        k++;
                    }

                    var dx = x - v[k];
                    var d2 = ((long)dx * dx) + f[v[k]];
                    row[x] = Value(d2, growSquared, reachSquared, grow, feather);
                }
            }
        });

        return result;
    }

    private static byte Value(long distanceSquared, long growSquared, long reachSquared, int grow, int feather)
    {
        if (distanceSquared <= growSquared)
        {
            return 255;
        }

        if (distanceSquared >= reachSquared || feather == 0)
        {
            return 0;
        }

        var t = (Math.Sqrt(distanceSquared) - grow) / feather;
        var falloff = 1 - (t * t * (3 - (2 * t)));
        return (byte)Math.Clamp((int)Math.Round(255 * falloff), 0, 255);
    }
}
