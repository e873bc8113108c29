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
/// </summary>
public static class NativeHeap
{
    /// <summary>The fixed threshold: blocks of this size or more get their own mapping (a 1024² RGBA bitmap is 4 MiB, a 2048² one 16 MiB).</summary>
    public const int LargeBlockBytes = 8 << 20;

    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c>.</summary>
    private const int MmapThreshold = -3;

    /// <summary>
    /// Fixes glibc's mmap threshold at <see cref="LargeBlockBytes"/>, unless the process was started with
    /// <c>MALLOC_MMAP_THRESHOLD_</c> (the operator's choice stands). Returns what was done, for the start log. Elsewhere
    /// (Windows, macOS, musl) nothing changes.
    /// </summary>
    public static string ReturnLargeBlocks()
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
            return Mallopt(MmapThreshold, LargeBlockBytes) == 1
                ? $"blocks of {LargeBlockBytes} bytes or more are mapped on their own"
                : "unchanged (mallopt refused)";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return "unchanged (not glibc)";
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int param, int value);
}
