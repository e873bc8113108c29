using BenchmarkDotNet.Attributes;
using FluxFunctions.Imaging;
using FluxFunctions.Testing;
using OpenCvSharp;

namespace FluxFunctions.Benchmarks.Micro;

/// <summary>
/// Local canny (Gaussian 5×5 + Sobel + non-maximum suppression + hysteresis, <see cref="CannyEdgeDetector"/>) against
/// OpenCV's <c>GaussianBlur(5×5)</c> + <c>Canny(low, high, aperture 3, L1)</c> on the same grey photo-like image, same thresholds.
/// </summary>
[MemoryDiagnoser]
public class CannyBenchmarks
{
    private GrayImage gray = null!;
    private Mat source = null!;
    private Mat blurred = null!;
    private Mat edges = null!;

    [Params(1024, 2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var photo = TestImages.PhotoLike(Size, Size, seed: 7);
        gray = GrayImage.FromBitmap(photo);
        source = Mat.FromPixelData(Size, Size, MatType.CV_8UC1, gray.Pixels);
        blurred = new Mat();
        edges = new Mat();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        source.Dispose();
        blurred.Dispose();
        edges.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void OpenCv()
    {
        Cv2.GaussianBlur(source, blurred, new Size(5, 5), 0, 0, BorderTypes.Default);
        Cv2.Canny(blurred, edges, 100, 200, 3, false);
    }

    [Benchmark]
    public GrayImage Local() => CannyEdgeDetector.Detect(gray, CannyOptions.Default);
}
