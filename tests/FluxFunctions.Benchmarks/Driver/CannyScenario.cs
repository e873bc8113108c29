using System.Diagnostics;
using FluxFunctions.Imaging;
using FluxFunctions.Testing;
using OpenCvSharp;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// The headline canny figure, in this process: the local detector (Gaussian 5×5 + canny, thresholds 100/200) and
/// OpenCV's GaussianBlur(5×5) + Canny(100, 200, aperture 3, L1) on the same 2048² grey photo-like image, alternated,
/// median of each (BenchmarkDotNet's <c>CannyBenchmarks</c> is the detailed version).
/// </summary>
internal static class CannyScenario
{
    public sealed record Result(double LocalMs, double OpenCvMs, int Runs, string OpenCvVersion, int OpenCvThreads, long LocalEdges, long OpenCvEdges, double LocalFirstMs);

    public static Result Run(int size = 2048, int runs = 15)
    {
        using var photo = TestImages.PhotoLike(size, size, seed: 11);
        var gray = GrayImage.FromBitmap(photo);
        using var source = Mat.FromPixelData(size, size, MatType.CV_8UC1, gray.Pixels);
        using var blurred = new Mat();
        using var edges = new Mat();
        var local = new List<double>();
        var opencv = new List<double>();
        // The first call in this process, compiling included: what a runner's first canny job pays.
        var first = Stopwatch.StartNew();
        var localEdges = CannyEdgeDetector.Detect(gray, CannyOptions.Default);
        var localFirstMs = first.Elapsed.TotalMilliseconds;
        for (var i = -3; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            localEdges = CannyEdgeDetector.Detect(gray, CannyOptions.Default);
            var l = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            Cv2.GaussianBlur(source, blurred, new Size(5, 5), 0, 0, BorderTypes.Default);
            Cv2.Canny(blurred, edges, 100, 200, 3, false);
            var o = sw.Elapsed.TotalMilliseconds;
            if (i >= 0)
            {
                local.Add(l);
                opencv.Add(o);
            }
        }

        return new Result(Stats.Median(local), Stats.Median(opencv), runs, Cv2.GetVersionString() ?? "OpenCV", Cv2.GetNumThreads(), localEdges.CountNonZero(), Cv2.CountNonZero(edges), localFirstMs);
    }
}
