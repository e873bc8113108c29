using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// Canny edge detection with the semantics of OpenCV's <c>cv::Canny(image, edges, low, high, 3, false)</c>:
/// 3×3 Sobel with replicated borders, L1 magnitude |dx|+|dy|, non-maximum suppression with OpenCV's
/// tangent-sector rule (tan 22.5° in 15-bit fixed point, its exact &gt;/&gt;= tie-breaking, zero magnitude outside
/// the image), double threshold (strictly above low / above high) and 8-connected hysteresis from the strong pixels.
/// Optionally preceded by OpenCV's 5×5 Gaussian blur (<see cref="CannyOptions.Blur"/>). Output: white (255)
/// edges on black.
/// </summary>
/// <remarks>
/// One fused pass per band of rows, in parallel (<see cref="RowBands"/>), like OpenCV's own: each row is blurred,
/// differentiated and suppressed while the few rows around it are still in cache (<see cref="Vector256{T}"/>, 32
/// pixels a step, 16-bit lanes), the strong pixels are collected as they are found and hysteresis runs inside the band;
/// growth that crosses into another band is finished once all bands are done. Large buffers come from
/// <see cref="ArrayPool{T}"/>. The loops are compiled fully optimised at their first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>, as is <see cref="GaussianBlur5"/>): a job calls the detector
/// once, and at tier 0 the band loops ran four to five times slower (2048²: 14–19 ms against 3.7–4.0), which a
/// runner's first canny jobs paid until tiering caught up.
/// </remarks>
public static class CannyEdgeDetector
{
    // OpenCV: TG22 = (int)(0.4142135623730950488016887242097 * (1 << 15) + 0.5).
    private const int CannyShift = 15;
    private const int Tg22 = 13573;

    // Map values (the map has a one-pixel border of None).
    private const byte None = 0;
    private const byte Weak = 1;
    private const byte Edge = 2;

    /// <summary>Edges of an RGBA bitmap: luminance with OpenCV's weights (<see cref="GrayImage.FromBitmap"/>), then <see cref="Detect(GrayImage, CannyOptions?)"/>.</summary>
    public static GrayImage Detect(SKBitmap bitmap, CannyOptions? options = null) => Detect(GrayImage.FromBitmap(bitmap), options);

    /// <summary>Edges (255) on black (0), the same size as <paramref name="gray"/>, in a new array.</summary>
    public static GrayImage Detect(GrayImage gray, CannyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gray);
        return Detect(gray, GC.AllocateUninitializedArray<byte>(gray.Width * gray.Height), options);
    }

    /// <summary>
    /// Edges (255) on black (0), the same size as <paramref name="gray"/>, written into <paramref name="into"/> (at least
    /// width × height bytes, e.g. rented from <see cref="ArrayPool{T}"/>; its first width × height bytes are overwritten):
    /// an array used before is already in memory, where a new 2048² one costs its 1,024 pages' first touch (on a VM,
    /// 5–12 µs each: more than the detection itself).
    /// </summary>
    public static GrayImage Detect(GrayImage gray, byte[] into, CannyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gray);
        ArgumentNullException.ThrowIfNull(into);
        options ??= CannyOptions.Default;
        int low = options.LowThreshold, high = options.HighThreshold;
        if (low > high)
        {
            (low, high) = (high, low);
        }

        int w = gray.Width, h = gray.Height;
        var edges = new GrayImage(w, h, into); // checks its size before any work
        var stride = w + 2;
        var map = ArrayPool<byte>.Shared.Rent(stride * (h + 2));
        var pending = new IntStack();
        try
        {
            map.AsSpan(0, stride).Clear();
            map.AsSpan((h + 1) * stride, stride).Clear();
            var job = new Job(gray.Pixels, w, h, options.Blur, ClampThreshold(low), ClampThreshold(high), map, pending);
            RowBands.For(h, (long)w * h, job.Band);

            // Growth from one band into another, now that every band is done.
            if (pending.Count > 0)
            {
                using var stack = new IntStack();
                while (pending.Count > 0)
                {
                    var q = pending.Pop();
                    if (map[q] != Weak)
                    {
                        continue;
                    }

                    map[q] = Edge;
                    stack.Push(q);
                    while (stack.Count > 0)
                    {
                        Grow(map, stride, stack.Pop(), stack);
                    }
                }
            }

            RowBands.For(h, (long)w * h, (start, end) => Finish(map, w, start, end, edges.Pixels));
            return edges;
        }
        finally
        {
            pending.Dispose();
            ArrayPool<byte>.Shared.Return(map);
        }
    }

    private static short ClampThreshold(int threshold) => (short)Math.Clamp(threshold, -1, short.MaxValue);

    /// <summary>Marks the weak 8-neighbours of <paramref name="p"/> as edges and pushes them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Grow(byte[] map, int stride, int p, IntStack stack)
    {
        Mark(map, p - stride - 1, stack);
        Mark(map, p - stride, stack);
        Mark(map, p - stride + 1, stack);
        Mark(map, p - 1, stack);
        Mark(map, p + 1, stack);
        Mark(map, p + stride - 1, stack);
        Mark(map, p + stride, stack);
        Mark(map, p + stride + 1, stack);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mark(byte[] map, int q, IntStack stack)
    {
        if (map[q] == Weak)
        {
            map[q] = Edge;
            stack.Push(q);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Finish(byte[] map, int w, int start, int end, byte[] edges)
    {
        var stride = w + 2;
        var edge = Vector256.Create(Edge);
        for (var y = start; y < end; y++)
        {
            var src = map.AsSpan(((y + 1) * stride) + 1, w);
            var dst = edges.AsSpan(y * w, w);
            var x = 0;
            if (Vector256.IsHardwareAccelerated && w >= Vector256<byte>.Count)
            {
                ref var s = ref MemoryMarshal.GetReference(src);
                ref var d = ref MemoryMarshal.GetReference(dst);
                var last = w - Vector256<byte>.Count;
                while (true)
                {
                    Vector256.Equals(Vector256.LoadUnsafe(ref s, (nuint)x), edge).StoreUnsafe(ref d, (nuint)x);
                    if (x == last)
                    {
                        break;
                    }

                    x = Math.Min(x + Vector256<byte>.Count, last);
                }

                continue;
            }

            for (; x < w; x++)
            {
                dst[x] = src[x] == Edge ? (byte)255 : (byte)0;
            }
        }
    }

    /// <summary>OpenCV's direction sectors and comparisons for one pixel: None, Weak or Edge (strong).</summary>
    private static byte SuppressPixel(ReadOnlySpan<short> prev, ReadOnlySpan<short> cur, ReadOnlySpan<short> next, int x, int dx, int dy, int low, int high)
    {
        // Magnitude rows are padded: pixel x is at x + 1.
        var c = x + 1;
        int m = cur[c];
        if (m <= low)
        {
            return None;
        }

        var ax = Math.Abs(dx);
        var ay = Math.Abs(dy) << CannyShift;
        var tg22x = ax * Tg22;
        bool isMax;
        if (ay < tg22x)
        {
            isMax = m > cur[c - 1] && m >= cur[c + 1];
        }
        else if (ay > tg22x + (ax << (CannyShift + 1)))
        {
            isMax = m > prev[c] && m >= next[c];
        }
        else
        {
            var s = (dx ^ dy) < 0 ? -1 : 1;
            isMax = m > prev[c - s] && m > next[c + s];
        }

        return !isMax ? None : m > high ? Edge : Weak;
    }

    /// <summary>floor(a · TG22 / 2^15) for 0 ≤ a ≤ 1020 (TG22 odd, so a · TG22 / 2^15 is never a whole number for a &gt; 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> TimesTan22(Vector256<short> a)
    {
        if (Avx2.IsSupported)
        {
            return Avx2.MultiplyHigh(a, Vector256.Create((short)(2 * Tg22)));
        }

        var (lo, hi) = Vector256.Widen(a);
        var k = Vector256.Create(Tg22);
        return Vector256.Narrow(Vector256.ShiftRightArithmetic(lo * k, CannyShift), Vector256.ShiftRightArithmetic(hi * k, CannyShift));
    }

    /// <summary>
    /// Map values of 16 pixels: 0 (not an edge), 1 (weak) or 2 (strong). OpenCV's integer sector test, rewritten
    /// exactly for 16-bit lanes with q = floor(|dx|·TG22 / 2^15): |dy|·2^15 &lt; |dx|·TG22 ⇔ |dx| ≠ 0 ∧ |dy| ≤ q, and
    /// |dy|·2^15 &gt; |dx|·TG22 + |dx|·2^16 ⇔ |dy| &gt; 2·|dx| + q.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Suppress16(ref short prev, ref short cur, ref short next, ref short dxRow, ref short dyRow, nuint x, Vector256<short> low, Vector256<short> high)
    {
        // Magnitudes: pixel x at x + 1; neighbours at x (left) and x + 2 (right).
        var m = Vector256.LoadUnsafe(ref cur, x + 1);
        var dx = Vector256.LoadUnsafe(ref dxRow, x);
        var dy = Vector256.LoadUnsafe(ref dyRow, x);
        var ax = Vector256.Abs(dx);
        var ay = Vector256.Abs(dy);
        var q = TimesTan22(ax);
        var alongRow = Vector256.AndNot(Vector256.LessThanOrEqual(ay, q), Vector256.Equals(ax, Vector256<short>.Zero));
        var alongColumn = Vector256.GreaterThan(ay, ax + ax + q);
        var anti = Vector256.LessThan(dx ^ dy, Vector256<short>.Zero);

        var rowMax = Vector256.AndNot(Vector256.GreaterThan(m, Vector256.LoadUnsafe(ref cur, x)), Vector256.GreaterThan(Vector256.LoadUnsafe(ref cur, x + 2), m));
        var columnMax = Vector256.AndNot(Vector256.GreaterThan(m, Vector256.LoadUnsafe(ref prev, x + 1)), Vector256.GreaterThan(Vector256.LoadUnsafe(ref next, x + 1), m));
        var prevLeft = Vector256.LoadUnsafe(ref prev, x);
        var prevRight = Vector256.LoadUnsafe(ref prev, x + 2);
        var nextLeft = Vector256.LoadUnsafe(ref next, x);
        var nextRight = Vector256.LoadUnsafe(ref next, x + 2);
        var diagonalMax = Vector256.GreaterThan(m, Vector256.ConditionalSelect(anti, prevRight, prevLeft))
            & Vector256.GreaterThan(m, Vector256.ConditionalSelect(anti, nextLeft, nextRight));

        var isMax = Vector256.ConditionalSelect(alongRow, rowMax, Vector256.ConditionalSelect(alongColumn, columnMax, diagonalMax));
        var keep = isMax & Vector256.GreaterThan(m, low);
        var strong = keep & Vector256.GreaterThan(m, high);

        // Masks are −1: 0 − keep − strong is 0, 1 or 2.
        return Vector256<short>.Zero - keep - strong;
    }

    /// <summary>The work of one call: the source, thresholds, the shared map and the growth left for after the bands.</summary>
    private sealed class Job(byte[] source, int w, int h, bool blur, short low, short high, byte[] map, IntStack pending)
    {
        private readonly Lock gate = new();

        /// <summary>Map rows of [start, end): blur, Sobel, suppression, then hysteresis inside the band.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Band(int start, int end)
        {
            using var rows = new BandRows(w);
            var growing = new IntStack();
            var outside = new IntStack();
            try
            {
                var stride = w + 2;
                Magnitude(rows, start - 1);
                Magnitude(rows, start);
                for (var y = start; y < end; y++)
                {
                    Magnitude(rows, y + 1);
                    var rowStart = ((y + 1) * stride) + 1;
                    map[rowStart - 1] = None;
                    map[rowStart + w] = None;
                    Suppress(rows, y, map.AsSpan(rowStart, w), rowStart, growing);
                }

                // Hysteresis inside the band; neighbours in other bands' rows are left for later.
                var first = (start + 1) * stride;
                var limit = (end + 1) * stride;
                while (growing.Count > 0)
                {
                    var p = growing.Pop();
                    if (p >= first + stride && p < limit - stride)
                    {
                        Grow(map, stride, p, growing);
                        continue;
                    }

                    ReadOnlySpan<int> around = [-stride - 1, -stride, -stride + 1, -1, 1, stride - 1, stride, stride + 1];
                    foreach (var offset in around)
                    {
                        var q = p + offset;
                        if (q >= first && q < limit)
                        {
                            Mark(map, q, growing);
                        }
                        else
                        {
                            outside.Push(q);
                        }
                    }
                }

                if (outside.Count > 0)
                {
                    lock (gate)
                    {
                        pending.PushAll(outside);
                    }
                }
            }
            finally
            {
                growing.Dispose();
                outside.Dispose();
            }
        }

        /// <summary>Row r of the blurred image (or of the source when there is no blur), blurred once per band.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ReadOnlySpan<byte> Blurred(BandRows rows, int r)
        {
            if (!blur)
            {
                return source.AsSpan(r * w, w);
            }

            var slot = r & 3;
            var row = rows.Blurred.AsSpan(slot * w, w);
            if (rows.BlurredRowIndex[slot] != r)
            {
                GaussianBlur5.Row(source, w, h, r, rows.Sums, row);
                rows.BlurredRowIndex[slot] = r;
            }

            return row;
        }

        /// <summary>Sobel dx, dy and the magnitude of row r (zero magnitude above and below the image).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Magnitude(BandRows rows, int r)
        {
            var mag = rows.Magnitude(r);
            if (r < 0 || r >= h)
            {
                mag.Clear();
                return;
            }

            var above = Blurred(rows, Math.Max(r - 1, 0));
            var row = Blurred(rows, r);
            var below = Blurred(rows, Math.Min(r + 1, h - 1));
            Sobel(above, row, below, rows.Smooth, rows.Diff, mag, rows.Dx(r), rows.Dy(r));
        }

        /// <summary>Map row y (at <paramref name="rowStart"/> in the map); strong pixels are marked as edges and pushed on <paramref name="strong"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Suppress(BandRows rows, int y, Span<byte> mapRow, int rowStart, IntStack strong)
        {
            var prev = rows.Magnitude(y - 1);
            var cur = rows.Magnitude(y);
            var next = rows.Magnitude(y + 1);
            var dxRow = rows.Dx(y);
            var dyRow = rows.Dy(y);
            var x = 0;
            if (Vector256.IsHardwareAccelerated && w >= Vector256<byte>.Count)
            {
                ref var p = ref MemoryMarshal.GetReference(prev);
                ref var c = ref MemoryMarshal.GetReference(cur);
                ref var n = ref MemoryMarshal.GetReference(next);
                ref var dxr = ref MemoryMarshal.GetReference(dxRow);
                ref var dyr = ref MemoryMarshal.GetReference(dyRow);
                ref var o = ref MemoryMarshal.GetReference(mapRow);
                var lowV = Vector256.Create(low);
                var highV = Vector256.Create(high);
                var edge = Vector256.Create(Edge);
                var lanes = (nuint)Vector256<short>.Count;
                var last = w - Vector256<byte>.Count;
                var done = 0; // pixels of this row already stored
                while (true)
                {
                    var i = (nuint)x;
                    Vector256<byte> values;
                    var m0 = Vector256.LoadUnsafe(ref c, i + 1);
                    var m1 = Vector256.LoadUnsafe(ref c, i + 1 + lanes);
                    if (Vector256.GreaterThanAny(Vector256.Max(m0, m1), lowV))
                    {
                        values = Vector256.Narrow(
                            Suppress16(ref p, ref c, ref n, ref dxr, ref dyr, i, lowV, highV).AsUInt16(),
                            Suppress16(ref p, ref c, ref n, ref dxr, ref dyr, i + lanes, lowV, highV).AsUInt16());
                        var bits = Vector256.Equals(values, edge).ExtractMostSignificantBits() & (uint.MaxValue << (done - x));
                        while (bits != 0)
                        {
                            strong.Push(rowStart + x + BitOperations.TrailingZeroCount(bits));
                            bits &= bits - 1;
                        }
                    }
                    else
                    {
                        values = Vector256<byte>.Zero;
                    }

                    values.StoreUnsafe(ref o, i);
                    if (x == last)
                    {
                        return;
                    }

                    done = x + Vector256<byte>.Count;
                    x = Math.Min(done, last);
                }
            }

            for (; x < w; x++)
            {
                var value = SuppressPixel(prev, cur, next, x, dxRow[x], dyRow[x], low, high);
                mapRow[x] = value;
                if (value == Edge)
                {
                    strong.Push(rowStart + x);
                }
            }
        }
    }

    /// <summary>
    /// Sobel of the middle row: smooth = above + 2·row + below and diff = below − above per column (replicated one
    /// column out on each side), then dx = smooth[x+1] − smooth[x−1], dy = diff[x−1] + 2·diff[x] + diff[x+1] and the
    /// magnitude |dx| + |dy| (≤ 2040, 16 bits), padded with a zero on each side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sobel(ReadOnlySpan<byte> above, ReadOnlySpan<byte> row, ReadOnlySpan<byte> below, Span<short> smooth, Span<short> diff, Span<short> mag, Span<short> dx, Span<short> dy)
    {
        var w = row.Length;
        var x = 0;
        if (Vector256.IsHardwareAccelerated && w >= Vector256<byte>.Count)
        {
            ref var a = ref MemoryMarshal.GetReference(above);
            ref var b = ref MemoryMarshal.GetReference(row);
            ref var c = ref MemoryMarshal.GetReference(below);
            ref var s = ref MemoryMarshal.GetReference(smooth);
            ref var d = ref MemoryMarshal.GetReference(diff);
            var lanes = (nuint)Vector256<short>.Count;
            var last = w - Vector256<byte>.Count;
            while (true)
            {
                var i = (nuint)x;
                var (aLo, aHi) = Vector256.Widen(Vector256.LoadUnsafe(ref a, i));
                var (bLo, bHi) = Vector256.Widen(Vector256.LoadUnsafe(ref b, i));
                var (cLo, cHi) = Vector256.Widen(Vector256.LoadUnsafe(ref c, i));
                (aLo + Vector256.ShiftLeft(bLo, 1) + cLo).AsInt16().StoreUnsafe(ref s, i + 1);
                (aHi + Vector256.ShiftLeft(bHi, 1) + cHi).AsInt16().StoreUnsafe(ref s, i + 1 + lanes);
                (cLo - aLo).AsInt16().StoreUnsafe(ref d, i + 1);
                (cHi - aHi).AsInt16().StoreUnsafe(ref d, i + 1 + lanes);
                if (x == last)
                {
                    break;
                }

                x = Math.Min(x + Vector256<byte>.Count, last);
            }

            x = w;
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
        mag[0] = 0;
        mag[w + 1] = 0;

        x = 0;
        if (Vector256.IsHardwareAccelerated && w >= Vector256<short>.Count)
        {
            ref var s = ref MemoryMarshal.GetReference(smooth);
            ref var d = ref MemoryMarshal.GetReference(diff);
            ref var m = ref MemoryMarshal.GetReference(mag);
            ref var gx = ref MemoryMarshal.GetReference(dx);
            ref var gy = ref MemoryMarshal.GetReference(dy);
            var last = w - Vector256<short>.Count;
            while (true)
            {
                var i = (nuint)x;
                var vx = Vector256.LoadUnsafe(ref s, i + 2) - Vector256.LoadUnsafe(ref s, i);
                var vy = Vector256.LoadUnsafe(ref d, i) + Vector256.ShiftLeft(Vector256.LoadUnsafe(ref d, i + 1), 1) + Vector256.LoadUnsafe(ref d, i + 2);
                vx.StoreUnsafe(ref gx, i);
                vy.StoreUnsafe(ref gy, i);
                (Vector256.Abs(vx) + Vector256.Abs(vy)).StoreUnsafe(ref m, i + 1);
                if (x == last)
                {
                    return;
                }

                x = Math.Min(x + Vector256<short>.Count, last);
            }
        }

        for (; x < w; x++)
        {
            var gx = smooth[x + 2] - smooth[x];
            var gy = diff[x] + (2 * diff[x + 1]) + diff[x + 2];
            dx[x] = (short)gx;
            dy[x] = (short)gy;
            mag[x + 1] = (short)(Math.Abs(gx) + Math.Abs(gy));
        }
    }

    /// <summary>
    /// A band's scratch rows: four blurred rows (a ring; row r in slot r mod 4, <see cref="BlurredRowIndex"/> says which
    /// row a slot holds), the blur's column sums, Sobel's column sums and three rows (a ring) of magnitude, dx and dy.
    /// </summary>
    private sealed class BandRows : IDisposable
    {
        private readonly int w;
        private readonly short[] shorts;

        public BandRows(int width)
        {
            w = width;
            Blurred = ArrayPool<byte>.Shared.Rent(4 * width);
            Sums = ArrayPool<ushort>.Shared.Rent(GaussianBlur5.SumsLength(width));
            shorts = ArrayPool<short>.Shared.Rent(11 * (width + 2));
        }

        public byte[] Blurred { get; }

        public int[] BlurredRowIndex { get; } = [-1, -1, -1, -1];

        public ushort[] Sums { get; }

        public Span<short> Smooth => shorts.AsSpan(0, w + 2);

        public Span<short> Diff => shorts.AsSpan(w + 2, w + 2);

        /// <summary>Magnitude of row r, padded with one zero on each side (w + 2); rows r − 1, r and r + 1 never share a slot.</summary>
        public Span<short> Magnitude(int r) => shorts.AsSpan(Offset(r), w + 2);

        /// <summary>Sobel dx of row r (w).</summary>
        public Span<short> Dx(int r) => shorts.AsSpan(Offset(r) + w + 2, w);

        /// <summary>Sobel dy of row r (w).</summary>
        public Span<short> Dy(int r) => shorts.AsSpan(Offset(r) + (2 * (w + 2)), w);

        private int Offset(int r) => (2 + (3 * ((r + 3) % 3))) * (w + 2);

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Blurred);
            ArrayPool<ushort>.Shared.Return(Sums);
            ArrayPool<short>.Shared.Return(shorts);
        }
    }

    /// <summary>A stack of map positions on a pooled array.</summary>
    private sealed class IntStack : IDisposable
    {
        private int[] items = ArrayPool<int>.Shared.Rent(1024);

        public int Count { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(int value)
        {
            if (Count == items.Length)
            {
                Enlarge(Count + 1);
            }

            items[Count++] = value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Pop() => items[--Count];

        public void PushAll(IntStack other)
        {
            if (Count + other.Count > items.Length)
            {
                Enlarge(Count + other.Count);
            }

            other.items.AsSpan(0, other.Count).CopyTo(items.AsSpan(Count));
            Count += other.Count;
        }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(items);
            items = [];
            Count = 0;
        }

        private void Enlarge(int needed)
        {
            var bigger = ArrayPool<int>.Shared.Rent(Math.Max(needed, items.Length * 2));
            items.AsSpan(0, Count).CopyTo(bigger);
            ArrayPool<int>.Shared.Return(items);
            items = bigger;
        }
    }
}
