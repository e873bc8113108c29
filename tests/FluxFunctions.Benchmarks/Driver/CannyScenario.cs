using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using FluxFunctions.Imaging;
using FluxFunctions.Testing;
using OpenCvSharp;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// The headline canny figure, in this process: the local detector (Gaussian 5×5 + canny, thresholds 100/200) and
/// OpenCV's GaussianBlur(5×5) + Canny(100, 200, aperture 3, L1) on the same 2048² grey photo-like image, alternated,
/// median of each (BenchmarkDotNet's <c>CannyBenchmarks</c> is the detailed version). Both sides without the cost of
/// memory new to the process: the local edge map goes into a pooled array as the pipeline's does, OpenCV writes into the
/// same Mat every call and its own buffers stay in the C heap (<see cref="KeepFreedNativeMemory"/>); the page faults of
/// one call of each are counted to show it.
/// </summary>
internal static class CannyScenario
{
    public sealed record Result(double LocalMs, double OpenCvMs, int Runs, string OpenCvVersion, int OpenCvThreads, long LocalEdges, long OpenCvEdges, double LocalFirstMs, long LocalFaults, long OpenCvFaults, string Allocator);

    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    public static Result Run(int size = 2048, int runs = 15)
    {
        var allocator = KeepFreedNativeMemory();
        using var photo = TestImages.PhotoLike(size, size, seed: 11);
        var gray = GrayImage.FromBitmap(photo);
        using var source = Mat.FromPixelData(size, size, MatType.CV_8UC1, gray.Pixels);
        using var blurred = new Mat();
        using var edges = new Mat();

        // The first call in this process, compiling included: what a runner's first canny job pays.
        var first = Stopwatch.StartNew();
        var localEdges = CannyEdgeDetector.Detect(gray, CannyOptions.Default).CountNonZero();
        var localFirstMs = first.Elapsed.TotalMilliseconds;
        void Local()
        {
            // As the pipeline calls it: the edge map in a pooled array.
            var into = ArrayPool<byte>.Shared.Rent(size * size);
            localEdges = CannyEdgeDetector.Detect(gray, into, CannyOptions.Default).CountNonZero();
            ArrayPool<byte>.Shared.Return(into);
        }

        void OpenCv()
        {
            Cv2.GaussianBlur(source, blurred, new Size(5, 5), 0, 0, BorderTypes.Default);
            Cv2.Canny(blurred, edges, 100, 200, 3, false);
        }

        var local = new List<double>();
        var opencv = new List<double>();
        for (var i = -3; i < runs; i++)
        {
            var l = Time(Local);
            var o = Time(OpenCv);
            if (i >= 0)
            {
                local.Add(l);
                opencv.Add(o);
            }
        }

        return new Result(Stats.Median(local), Stats.Median(opencv), runs, Cv2.GetVersionString() ?? "OpenCV", Cv2.GetNumThreads(),
            localEdges, Cv2.CountNonZero(edges), localFirstMs, FaultsOf(Local), FaultsOf(OpenCv), allocator);
    }

    private static double Time(Action work)
    {
        var sw = Stopwatch.StartNew();
        work();
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>The process's minor page faults (first touches of memory) during one call; -1 without /proc.</summary>
    private static long FaultsOf(Action work)
    {
        static long Faults() => File.Exists("/proc/self/stat")
            ? long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7], CultureInfo.InvariantCulture)
            : -1;
        var before = Faults();
        work();
        return before < 0 ? -1 : Faults() - before;
    }

    /// <summary>
    /// Keeps the C heap's freed memory in the process for the rest of its life (glibc's trim threshold 256 MiB, its mmap
    /// threshold at its 32 MiB maximum), so OpenCV's per-call buffers are not given back and faulted in again on every call:
    /// on a VM that first touch costs 5–12 µs a page, and OpenCV's worker threads' heaps gave back and touched again about
    /// 3,000 pages a call (38–49 ms a call instead of 5–6). The local side's pooled arrays are the same thing on the .NET
    /// side: the two detectors are compared, not the allocators. The bench runs this scenario last for that reason.
    /// </summary>
    private static string KeepFreedNativeMemory()
    {
        try
        {
            return Mallopt(TrimThreshold, 256 << 20) == 1 && Mallopt(MmapThreshold, 32 << 20) == 1
                ? "C heap kept: trim threshold 256 MiB, mmap threshold 32 MiB"
                : "C heap as glibc runs it (mallopt refused)";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return "C heap as the C library runs it (not glibc)";
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int param, int value);
}
