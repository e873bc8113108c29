using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FluxFunctions.Core.Imaging;

/// <summary>
/// OpenCV's <c>GaussianBlur(src, dst, Size(5, 5), 0)</c> for 8-bit images, bit-exact: the separable binomial kernel
/// [1 4 6 4 1] / 16, <c>BORDER_REFLECT_101</c>, result <c>(Σ + 128) >> 8</c>. All sums fit in 16 bits, so rows are
/// computed with <see cref="Vector{T}"/> of <see cref="ushort"/>.
/// </summary>
internal static class GaussianBlur5
{
    /// <summary>Blurs <paramref name="source"/> (width × height) into <paramref name="destination"/>.</summary>
    public static void Apply(byte[] source, byte[] destination, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var pixels = width * height;
        var rows = ArrayPool<ushort>.Shared.Rent(pixels);
        try
        {
            RowBands.For(height, pixels, (start, end) =>
            {
                for (var y = start; y < end; y++)
                {
                    Horizontal(source.AsSpan(y * width, width), rows.AsSpan(y * width, width));
                }
            });
            RowBands.For(height, pixels, (start, end) =>
            {
                for (var y = start; y < end; y++)
                {
                    Vertical(rows, width, height, y, destination.AsSpan(y * width, width));
                }
            });
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(rows);
        }
    }

    /// <summary>OpenCV's <c>borderInterpolate(p, length, BORDER_REFLECT_101)</c>.</summary>
    internal static int Reflect101(int p, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        while ((uint)p >= (uint)length)
        {
            p = p < 0 ? -p : (2 * length) - p - 2;
        }

        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Horizontal(ReadOnlySpan<byte> p, Span<ushort> h)
    {
        var n = p.Length;
        var x = 0;
        for (; x < Math.Min(2, n); x++)
        {
            h[x] = Scalar(p, x);
        }

        var lanes = Vector<byte>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; x + lanes + 2 <= n; x += lanes)
            {
                Vector.Widen(new Vector<byte>(p[(x - 2)..]), out var m2Lo, out var m2Hi);
                Vector.Widen(new Vector<byte>(p[(x - 1)..]), out var m1Lo, out var m1Hi);
                Vector.Widen(new Vector<byte>(p[x..]), out var cLo, out var cHi);
                Vector.Widen(new Vector<byte>(p[(x + 1)..]), out var p1Lo, out var p1Hi);
                Vector.Widen(new Vector<byte>(p[(x + 2)..]), out var p2Lo, out var p2Hi);
                Kernel(m2Lo, m1Lo, cLo, p1Lo, p2Lo).CopyTo(h[x..]);
                Kernel(m2Hi, m1Hi, cHi, p1Hi, p2Hi).CopyTo(h[(x + (lanes / 2))..]);
            }
        }

        for (; x < n; x++)
        {
            h[x] = Scalar(p, x);
        }
    }

    private static Vector<ushort> Kernel(Vector<ushort> m2, Vector<ushort> m1, Vector<ushort> c, Vector<ushort> p1, Vector<ushort> p2) =>
        m2 + p2 + Vector.ShiftLeft(m1 + p1, 2) + Vector.ShiftLeft(c, 2) + Vector.ShiftLeft(c, 1);

    private static ushort Scalar(ReadOnlySpan<byte> p, int x)
    {
        var n = p.Length;
        return (ushort)(p[Reflect101(x - 2, n)] + (4 * p[Reflect101(x - 1, n)]) + (6 * p[x]) + (4 * p[Reflect101(x + 1, n)]) + p[Reflect101(x + 2, n)]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vertical(ushort[] rows, int width, int height, int y, Span<byte> output)
    {
        var r0 = rows.AsSpan(Reflect101(y - 2, height) * width, width);
        var r1 = rows.AsSpan(Reflect101(y - 1, height) * width, width);
        var r2 = rows.AsSpan(y * width, width);
        var r3 = rows.AsSpan(Reflect101(y + 1, height) * width, width);
        var r4 = rows.AsSpan(Reflect101(y + 2, height) * width, width);
        var x = 0;
        var lanes = Vector<ushort>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var half = new Vector<ushort>(128);
            for (; x + (2 * lanes) <= width; x += 2 * lanes)
            {
                var lo = Sum(r0[x..], r1[x..], r2[x..], r3[x..], r4[x..], half);
                var hi = Sum(r0[(x + lanes)..], r1[(x + lanes)..], r2[(x + lanes)..], r3[(x + lanes)..], r4[(x + lanes)..], half);
                Vector.Narrow(lo, hi).CopyTo(output[x..]);
            }
        }

        for (; x < width; x++)
        {
            var s = r0[x] + r4[x] + (4 * (r1[x] + r3[x])) + (6 * r2[x]) + 128;
            output[x] = (byte)(s >> 8);
        }
    }

    private static Vector<ushort> Sum(ReadOnlySpan<ushort> r0, ReadOnlySpan<ushort> r1, ReadOnlySpan<ushort> r2, ReadOnlySpan<ushort> r3, ReadOnlySpan<ushort> r4, Vector<ushort> half)
    {
        var c = new Vector<ushort>(r2);
        var s = new Vector<ushort>(r0) + new Vector<ushort>(r4) + Vector.ShiftLeft(new Vector<ushort>(r1) + new Vector<ushort>(r3), 2)
            + Vector.ShiftLeft(c, 2) + Vector.ShiftLeft(c, 1) + half;
        return Vector.ShiftRightLogical(s, 8);
    }
}
