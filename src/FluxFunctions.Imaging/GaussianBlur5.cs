using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FluxFunctions.Imaging;

/// <summary>
/// OpenCV's <c>GaussianBlur(src, dst, Size(5, 5), 0)</c> for 8-bit images, bit-exact: the separable binomial kernel
/// [1 4 6 4 1] / 16, <c>BORDER_REFLECT_101</c>, result <c>(Σ + 128) >> 8</c> (OpenCV's fixed-point path is exact for
/// this kernel, so the order of the sums does not matter). One row at a time (<see cref="Row"/>): the vertical sums of
/// five source rows into a padded row of <see cref="ushort"/> (≤ 16·255), then the horizontal sums of that row
/// (≤ 65 280 + 128, still 16 bits), with <see cref="Vector256{T}"/> where the hardware has it.
/// </summary>
internal static class GaussianBlur5
{
    /// <summary>The length <see cref="Row"/> needs for its column sums.</summary>
    public static int SumsLength(int width) => width + 4;

    /// <summary>Blurs <paramref name="source"/> (width × height) into <paramref name="destination"/>.</summary>
    public static void Apply(byte[] source, byte[] destination, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        RowBands.For(height, (long)width * height, (start, end) =>
        {
            var sums = ArrayPool<ushort>.Shared.Rent(SumsLength(width));
            try
            {
                for (var y = start; y < end; y++)
                {
                    Row(source, width, height, y, sums, destination.AsSpan(y * width, width));
                }
            }
            finally
            {
                ArrayPool<ushort>.Shared.Return(sums);
            }
        });
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

    /// <summary>Row <paramref name="y"/> of the blurred image into <paramref name="output"/> (width bytes); <paramref name="sums"/> is scratch of <see cref="SumsLength"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ReadOnlySpan<byte> source, int width, int height, int y, Span<ushort> sums, Span<byte> output)
    {
        var r0 = source.Slice(Reflect101(y - 2, height) * width, width);
        var r1 = source.Slice(Reflect101(y - 1, height) * width, width);
        var r2 = source.Slice(y * width, width);
        var r3 = source.Slice(Reflect101(y + 1, height) * width, width);
        var r4 = source.Slice(Reflect101(y + 2, height) * width, width);
        var padded = sums[..SumsLength(width)];
        var columns = padded.Slice(2, width);
        output = output[..width];

        Vertical(r0, r1, r2, r3, r4, columns);
        padded[0] = columns[Reflect101(-2, width)];
        padded[1] = columns[Reflect101(-1, width)];
        padded[width + 2] = columns[Reflect101(width, width)];
        padded[width + 3] = columns[Reflect101(width + 1, width)];
        Horizontal(padded, output);
    }

    /// <summary>s = r0 + 4·r1 + 6·r2 + 4·r3 + r4 per column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vertical(ReadOnlySpan<byte> r0, ReadOnlySpan<byte> r1, ReadOnlySpan<byte> r2, ReadOnlySpan<byte> r3, ReadOnlySpan<byte> r4, Span<ushort> s)
    {
        var n = s.Length;
        var x = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<byte>.Count)
        {
            ref var a = ref MemoryMarshal.GetReference(r0);
            ref var b = ref MemoryMarshal.GetReference(r1);
            ref var c = ref MemoryMarshal.GetReference(r2);
            ref var d = ref MemoryMarshal.GetReference(r3);
            ref var e = ref MemoryMarshal.GetReference(r4);
            ref var o = ref MemoryMarshal.GetReference(s);
            var last = n - Vector256<byte>.Count;
            while (true)
            {
                var i = (nuint)x;
                var (aLo, aHi) = Vector256.Widen(Vector256.LoadUnsafe(ref a, i));
                var (bLo, bHi) = Vector256.Widen(Vector256.LoadUnsafe(ref b, i));
                var (cLo, cHi) = Vector256.Widen(Vector256.LoadUnsafe(ref c, i));
                var (dLo, dHi) = Vector256.Widen(Vector256.LoadUnsafe(ref d, i));
                var (eLo, eHi) = Vector256.Widen(Vector256.LoadUnsafe(ref e, i));
                Binomial(aLo, bLo, cLo, dLo, eLo).StoreUnsafe(ref o, i);
                Binomial(aHi, bHi, cHi, dHi, eHi).StoreUnsafe(ref o, i + (nuint)Vector256<ushort>.Count);
                if (x == last)
                {
                    return;
                }

                // The last block overlaps the one before it: same values written twice.
                x = Math.Min(x + Vector256<byte>.Count, last);
            }
        }

        for (; x < n; x++)
        {
            s[x] = (ushort)(r0[x] + r4[x] + (4 * (r1[x] + r3[x])) + (6 * r2[x]));
        }
    }

    /// <summary>out[x] = (p[x] + 4·p[x+1] + 6·p[x+2] + 4·p[x+3] + p[x+4] + 128) >> 8, p padded by two on each side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Horizontal(ReadOnlySpan<ushort> p, Span<byte> output)
    {
        var n = output.Length;
        var x = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<byte>.Count)
        {
            ref var s = ref MemoryMarshal.GetReference(p);
            ref var o = ref MemoryMarshal.GetReference(output);
            var half = Vector256.Create((ushort)128);
            var lanes = (nuint)Vector256<ushort>.Count;
            var last = n - Vector256<byte>.Count;
            while (true)
            {
                var i = (nuint)x;
                var lo = Horizontal16(ref s, i, half);
                var hi = Horizontal16(ref s, i + lanes, half);
                Vector256.Narrow(lo, hi).StoreUnsafe(ref o, i);
                if (x == last)
                {
                    return;
                }

                x = Math.Min(x + Vector256<byte>.Count, last);
            }
        }

        for (; x < n; x++)
        {
            var sum = p[x] + p[x + 4] + (4 * (p[x + 1] + p[x + 3])) + (6 * p[x + 2]) + 128;
            output[x] = (byte)(sum >> 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> Horizontal16(ref ushort s, nuint i, Vector256<ushort> half)
    {
        var sum = Binomial(
            Vector256.LoadUnsafe(ref s, i),
            Vector256.LoadUnsafe(ref s, i + 1),
            Vector256.LoadUnsafe(ref s, i + 2),
            Vector256.LoadUnsafe(ref s, i + 3),
            Vector256.LoadUnsafe(ref s, i + 4));
        return Vector256.ShiftRightLogical(sum + half, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> Binomial(Vector256<ushort> a, Vector256<ushort> b, Vector256<ushort> c, Vector256<ushort> d, Vector256<ushort> e) =>
        a + e + Vector256.ShiftLeft(b + d + c, 2) + Vector256.ShiftLeft(c, 1);
}
