using System.Runtime.InteropServices;

namespace FluxFunctions.Imaging;

/// <summary>
/// How the C allocator serves large image buffers. SkiaSharp's bitmaps and codecs allocate with <c>malloc</c>, outside
/// the .NET heap. glibc serves a block of 128 KiB or more with its own <c>mmap</c> (given back to the system when freed)
/// only until such a block is freed; then it raises that threshold to the size freed (up to 32 MiB), so after the first
/// job a 2048² image's 16 MiB buffers come from the heap, whose free space stays in the process's resident set and
/// fragments between jobs of different sizes. A fixed threshold of <see cref="LargeBlockBytes"/> keeps every buffer of
/// 8 MiB or more (an RGBA bitmap of about 2 megapixels and up) on its own mapping (docs/performance.md has the runs).
/// Not lower: every mapped buffer costs its pages' first touch, which in a VM made a 1024² Fill job 40–100 ms slower
/// with a 1 MiB threshold.
/// <para>Fixing the threshold also turns off the rule that would have raised glibc's trim threshold with it (to twice
/// the mmap threshold): left at its 128 KiB default, every free block at the top of a heap beyond that went back to the
/// system, so a 1024² bitmap (4 MiB) freed by one job was faulted in again, page by page, by the next — a 1024² JPEG's
/// decode took a median 21 ms in the runner against 6.4 ms alone. <see cref="KeptFreeBytes"/> is what glibc's own rule
/// would keep (median 10 ms). Each heap keeps that much, and glibc makes up to eight heaps per core as threads contend:
/// four 2048² jobs peaked at 298–314 MB against 276–293 until the heaps were capped at <see cref="Heaps"/> (287–297 MB);
/// half the trim threshold kept the peak but only half the gain. Under load the kept space shows: the chaos run's runner
/// peaked at 341–403 MiB under faults (281–322 before).</para>
/// </summary>
public static class NativeHeap
{
    /// <summary>The fixed threshold: blocks of this size or more get their own mapping (a 1024² RGBA bitmap is 4 MiB, a 2048² one 16 MiB).</summary>
    public const int LargeBlockBytes = 8 << 20;

    /// <summary>Free space at the top of a heap kept rather than given back (twice <see cref="LargeBlockBytes"/>, as glibc's dynamic rule keeps).</summary>
    public const int KeptFreeBytes = 2 * LargeBlockBytes;

    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c>.</summary>
    private const int MmapThreshold = -3;

    /// <summary>glibc's <c>M_TRIM_THRESHOLD</c>.</summary>
    private const int TrimThreshold = -1;

    /// <summary>glibc's <c>M_ARENA_MAX</c>.</summary>
    private const int ArenaMax = -8;

    /// <summary>
    /// The most heaps (glibc arenas) the process makes: two per core, at most four, so the free space they keep stays
    /// under 64 MiB on any machine (glibc would make up to eight per core).
    /// </summary>
    public static int Heaps => Math.Min(4, 2 * Math.Max(1, Environment.ProcessorCount));

    /// <summary>
    /// Fixes glibc's mmap threshold at <see cref="LargeBlockBytes"/>, its trim threshold at <see cref="KeptFreeBytes"/> and its
    /// heaps at <see cref="Heaps"/>, unless the process was started with <c>MALLOC_MMAP_THRESHOLD_</c> (the operator's
    /// choice stands, and nothing is changed; so does their <c>MALLOC_TRIM_THRESHOLD_</c> or <c>MALLOC_ARENA_MAX</c>).
    /// Returns what was done, for the start log. Elsewhere (Windows, macOS, musl) nothing changes.
    /// </summary>
    public static string TuneForImages()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "unchanged (not Linux)";
        }

        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is { Length: > 0 } set)
        {
            return $"unchanged (MALLOC_MMAP_THRESHOLD_={set})";
        }

        try
        {
            if (Mallopt(MmapThreshold, LargeBlockBytes) != 1)
            {
                return "unchanged (mallopt refused)";
            }

            return string.Join(
                "; ",
                $"blocks of {LargeBlockBytes} bytes or more are mapped on their own",
                Set("MALLOC_TRIM_THRESHOLD_", TrimThreshold, KeptFreeBytes, $"up to {KeptFreeBytes} bytes of free space kept for the next job"),
                Set("MALLOC_ARENA_MAX", ArenaMax, Heaps, $"at most {Heaps} heaps"));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return "unchanged (not glibc)";
        }
    }

    /// <summary>Sets one of glibc's malloc parameters unless the operator's environment variable for it did.</summary>
    private static string Set(string variable, int parameter, int value, string done) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? $"{variable}={set} as the environment says"
            : Mallopt(parameter, value) == 1 ? done
            : $"{variable} left to glibc (mallopt refused)";

    [DllImport("libc.so.6", EntryPoint = "mallopt", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int param, int value);
}
