using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using SkiaSharp;

namespace FluxFunctions.Core.Imaging;

/// <summary>
/// Canny edge detection with the semantics of OpenCV's <c>cv::Canny(image, edges, low, high, 3, false)</c>:
/// 3×3 Sobel with replicated borders, L1 magnitude |dx|+|dy|, non-maximum suppression with OpenCV's
/// tangent-sector rule (tan 22.5° in 15-bit fixed point, its exact &gt;/&gt;= tie-breaking, zero magnitude outside
/// the image), double threshold (strictly above low / above high) and 8-connected hysteresis from the strong pixels.
/// Optionally preceded by OpenCV's 5×5 Gaussian blur (<see cref="CannyOptions.Blur"/>). Output: white (255)
/// edges on black.
/// </summary>
/// <remarks>
/// Rows are computed with <see cref="Vector{T}"/> (blur, Sobel, magnitude, the scan for candidates) in parallel row
/// bands; hysteresis uses an explicit stack. Large buffers come from <see cref="ArrayPool{T}"/>.
/// </remarks>
public static class CannyEdgeDetector
{
    // OpenCV: TG22 = (int)(0.4142135623730950488016887242097 * (1 << 15) + 0.5).
    private const int CannyShift = 15;
    private const int Tg22 = 13573;

    // Direction classes of a candidate pixel (magnitude above low): which neighbours it must exceed.
    private const byte NotCandidate = 0;
    private const byte AlongRow = 1;
    private const byte AlongColumn = 2;
    private const byte MainDiagonal = 3;
    private const byte AntiDiagonal = 4;

    // Map values.
    private const byte None = 0;
    private const byte Weak = 1;
    private const byte Strong = 2;
    private const byte Edge = 3;

    /// <summary>Edges of an RGBA bitmap: luminance with OpenCV's weights (<see cref="GrayImage.FromBitmap"/>), then <see cref="Detect(GrayImage, CannyOptions?)"/>.</summary>
    public static GrayImage Detect(SKBitmap bitmap, CannyOptions? options = null) => Detect(GrayImage.FromBitmap(bitmap), options);

    /// <summary>Edges (255) on black (0), the same size as <paramref name="gray"/>.</summary>
    public static GrayImage Detect(GrayImage gray, CannyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gray);
        options ??= CannyOptions.Default;
        int low = options.LowThreshold, high = options.HighThreshold;
        if (low > high)
        {
            (low, high) = (high, low);
        }

        int w = gray.Width, h = gray.Height;
        var pixels = w * h;
        var stride = w + 2;
        var padded = stride * (h + 2);

        byte[]? blurred = null;
        var magnitude = ArrayPool<short>.Shared.Rent(padded);
        var direction = ArrayPool<byte>.Shared.Rent(pixels);
        var map = ArrayPool<byte>.Shared.Rent(padded);
        try
        {
            var source = gray.Pixels;
            if (options.Blur)
            {
                blurred = ArrayPool<byte>.Shared.Rent(pixels);
                GaussianBlur5.Apply(gray.Pixels, blurred, w, h);
                source = blurred;
            }

            // Zero magnitude and no edge outside the image.
            magnitude.AsSpan(0, stride).Clear();
            magnitude.AsSpan((h + 1) * stride, stride).Clear();
            map.AsSpan(0, stride).Clear();
            map.AsSpan((h + 1) * stride, stride).Clear();

            var lowClamped = (short)Math.Clamp(low, -1, short.MaxValue);
            RowBands.For(h, pixels, (start, end) => Gradients(source, w, h, start, end, lowClamped, magnitude, direction));
            RowBands.For(h, pixels, (start, end) => Suppress(w, start, end, high, magnitude, direction, map));
            Hysteresis(map, w, h);

            var edges = new GrayImage(w, h);
            RowBands.For(h, pixels, (start, end) => Finish(map, w, start, end, edges.Pixels));
            return edges;
        }
        finally
        {
            if (blurred is not null)
            {
                ArrayPool<byte>.Shared.Return(blurred);
            }

            ArrayPool<short>.Shared.Return(magnitude);
            ArrayPool<byte>.Shared.Return(direction);
            ArrayPool<byte>.Shared.Return(map);
        }
    }

    /// <summary>Sobel dx, dy and the L1 magnitude of rows [start, end); classifies candidates by gradient direction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gradients(byte[] source, int w, int h, int start, int end, short low, short[] magnitude, byte[] direction)
    {
        var stride = w + 2;
        var smooth = ArrayPool<short>.Shared.Rent(w + 2);
        var diff = ArrayPool<short>.Shared.Rent(w + 2);
        var dxRow = ArrayPool<short>.Shared.Rent(w);
        var dyRow = ArrayPool<short>.Shared.Rent(w);
        try
        {
            var lanes = Vector<short>.Count;
            var byteLanes = Vector<byte>.Count;
            var lowVector = new Vector<short>(low);
            for (var y = start; y < end; y++)
            {
                var above = source.AsSpan(Math.Max(y - 1, 0) * w, w);
                var row = source.AsSpan(y * w, w);
                var below = source.AsSpan(Math.Min(y + 1, h - 1) * w, w);

                // Column sums: smooth = above + 2·row + below, diff = below − above (stored from index 1, replicated ends).
                var x = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    for (; x + byteLanes <= w; x += byteLanes)
                    {
                        Vector.Widen(new Vector<byte>(above[x..]), out var aLo, out var aHi);
                        Vector.Widen(new Vector<byte>(row[x..]), out var bLo, out var bHi);
                        Vector.Widen(new Vector<byte>(below[x..]), out var cLo, out var cHi);
                        Vector.AsVectorInt16(aLo + Vector.ShiftLeft(bLo, 1) + cLo).CopyTo(smooth.AsSpan(x + 1));
                        Vector.AsVectorInt16(aHi + Vector.ShiftLeft(bHi, 1) + cHi).CopyTo(smooth.AsSpan(x + 1 + lanes));
                        Vector.AsVectorInt16(cLo - aLo).CopyTo(diff.AsSpan(x + 1));
                        Vector.AsVectorInt16(cHi - aHi).CopyTo(diff.AsSpan(x + 1 + lanes));
                    }
                }

                for (; x < w; x++)
                {
                    smooth[x + 1] = (short)(above[x] + (2 * row[x]) + below[x]);
                    diff[x + 1] = (short)(below[x] - above[x]);
                }

                smooth[0] = smooth[1];
                smooth[w + 1] = smooth[w];
                diff[0] = diff[1];
                diff[w + 1] = diff[w];

                // dx = smooth[x+1] − smooth[x−1]; dy = diff[x−1] + 2·diff[x] + diff[x+1]; magnitude = |dx| + |dy|.
                var magRow = magnitude.AsSpan(((y + 1) * stride) + 1, w);
                magnitude[(y + 1) * stride] = 0;
                magnitude[((y + 1) * stride) + w + 1] = 0;
                x = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    for (; x + lanes <= w; x += lanes)
                    {
                        var dx = new Vector<short>(smooth.AsSpan(x + 2)) - new Vector<short>(smooth.AsSpan(x));
                        var dy = new Vector<short>(diff.AsSpan(x)) + Vector.ShiftLeft(new Vector<short>(diff.AsSpan(x + 1)), 1) + new Vector<short>(diff.AsSpan(x + 2));
                        dx.CopyTo(dxRow.AsSpan(x));
                        dy.CopyTo(dyRow.AsSpan(x));
                        (Vector.Abs(dx) + Vector.Abs(dy)).CopyTo(magRow[x..]);
                    }
                }

                for (; x < w; x++)
                {
                    var dx = smooth[x + 2] - smooth[x];
                    var dy = diff[x] + (2 * diff[x + 1]) + diff[x + 2];
                    dxRow[x] = (short)dx;
                    dyRow[x] = (short)dy;
                    magRow[x] = (short)(Math.Abs(dx) + Math.Abs(dy));
                }

                // Candidates (magnitude > low) and the direction their neighbours are compared in.
                var dirRow = direction.AsSpan(y * w, w);
                x = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    for (; x + lanes <= w; x += lanes)
                    {
                        if (!Vector.GreaterThanAny(new Vector<short>(magRow[x..]), lowVector))
                        {
                            dirRow.Slice(x, lanes).Clear();
                            continue;
                        }

                        for (var i = x; i < x + lanes; i++)
                        {
                            dirRow[i] = Classify(magRow[i], dxRow[i], dyRow[i], low);
                        }
                    }
                }

                for (; x < w; x++)
                {
                    dirRow[x] = Classify(magRow[x], dxRow[x], dyRow[x], low);
                }
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(smooth);
            ArrayPool<short>.Shared.Return(diff);
            ArrayPool<short>.Shared.Return(dxRow);
            ArrayPool<short>.Shared.Return(dyRow);
        }
    }

    private static byte Classify(int m, int dx, int dy, int low)
    {
        if (m <= low)
        {
            return NotCandidate;
        }

        var ax = Math.Abs(dx);
        var ay = Math.Abs(dy) << CannyShift;
        var tg22x = ax * Tg22;
        if (ay < tg22x)
        {
            return AlongRow;
        }

        var tg67x = tg22x + (ax << (CannyShift + 1));
        if (ay > tg67x)
        {
            return AlongColumn;
        }

        return (dx ^ dy) < 0 ? AntiDiagonal : MainDiagonal;
    }

    /// <summary>Non-maximum suppression and double threshold of rows [start, end) into the padded map.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Suppress(int w, int start, int end, int high, short[] magnitude, byte[] direction, byte[] map)
    {
        var stride = w + 2;
        var lanes = Vector<byte>.Count;
        for (var y = start; y < end; y++)
        {
            var dirRow = direction.AsSpan(y * w, w);
            var rowStart = ((y + 1) * stride) + 1;
            var mapRow = map.AsSpan(rowStart, w);
            map[rowStart - 1] = None;
            map[rowStart + w] = None;
            var x = 0;
            while (x < w)
            {
                if (Vector.IsHardwareAccelerated && x + lanes <= w && Vector.EqualsAll(new Vector<byte>(dirRow[x..]), Vector<byte>.Zero))
                {
                    mapRow.Slice(x, lanes).Clear();
                    x += lanes;
                    continue;
                }

                var limit = Vector.IsHardwareAccelerated ? Math.Min(w, x + lanes) : w;
                for (; x < limit; x++)
                {
                    var dir = dirRow[x];
                    if (dir == NotCandidate)
                    {
                        mapRow[x] = None;
                        continue;
                    }

                    var p = rowStart + x;
                    int m = magnitude[p];
                    var isMax = dir switch
                    {
                        AlongRow => m > magnitude[p - 1] && m >= magnitude[p + 1],
                        AlongColumn => m > magnitude[p - stride] && m >= magnitude[p + stride],
                        MainDiagonal => m > magnitude[p - stride - 1] && m > magnitude[p + stride + 1],
                        _ => m > magnitude[p - stride + 1] && m > magnitude[p + stride - 1],
                    };
                    mapRow[x] = !isMax ? None : m > high ? Strong : Weak;
                }
            }
        }
    }

    /// <summary>Marks every strong pixel, and every weak pixel 8-connected to one, as an edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Hysteresis(byte[] map, int w, int h)
    {
        var stride = w + 2;
        var stack = ArrayPool<int>.Shared.Rent(Math.Max(1024, w * h / 16));
        var top = 0;
        try
        {
            var lanes = Vector<byte>.Count;
            var strong = new Vector<byte>(Strong);
            var first = stride + 1;
            var last = (h * stride) + w; // inclusive
            var i = first;
            while (i <= last)
            {
                if (Vector.IsHardwareAccelerated && i + lanes <= last + 1 && !Vector.EqualsAny(new Vector<byte>(map.AsSpan(i)), strong))
                {
                    i += lanes;
                    continue;
                }

                var limit = Vector.IsHardwareAccelerated ? Math.Min(last + 1, i + lanes) : last + 1;
                for (; i < limit; i++)
                {
                    if (map[i] != Strong)
                    {
                        continue;
                    }

                    map[i] = Edge;
                    stack[top++] = i;
                    while (top > 0)
                    {
                        var p = stack[--top];
                        if (top + 8 > stack.Length)
                        {
                            var bigger = ArrayPool<int>.Shared.Rent(stack.Length * 2);
                            stack.AsSpan(0, top).CopyTo(bigger);
                            ArrayPool<int>.Shared.Return(stack);
                            stack = bigger;
                        }

                        Grow(map, p - stride - 1, stack, ref top);
                        Grow(map, p - stride, stack, ref top);
                        Grow(map, p - stride + 1, stack, ref top);
                        Grow(map, p - 1, stack, ref top);
                        Grow(map, p + 1, stack, ref top);
                        Grow(map, p + stride - 1, stack, ref top);
                        Grow(map, p + stride, stack, ref top);
                        Grow(map, p + stride + 1, stack, ref top);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stack);
        }
    }

    private static void Grow(byte[] map, int q, int[] stack, ref int top)
    {
        if (map[q] == Weak)
        {
            map[q] = Edge;
            stack[top++] = q;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Finish(byte[] map, int w, int start, int end, byte[] edges)
    {
        var stride = w + 2;
        var lanes = Vector<byte>.Count;
        var weak = new Vector<byte>(Weak);
        for (var y = start; y < end; y++)
        {
            var src = map.AsSpan(((y + 1) * stride) + 1, w);
            var dst = edges.AsSpan(y * w, w);
            var x = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; x + lanes <= w; x += lanes)
                {
                    Vector.GreaterThan(new Vector<byte>(src[x..]), weak).CopyTo(dst[x..]);
                }
            }

            for (; x < w; x++)
            {
                dst[x] = src[x] > Weak ? (byte)255 : (byte)0;
            }
        }
    }
}
