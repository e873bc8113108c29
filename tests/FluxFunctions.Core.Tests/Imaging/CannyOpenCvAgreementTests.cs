using System.Globalization;
using FluxFunctions.Imaging;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>
/// The local Canny against OpenCV on generated photo-like images of several sizes (odd ones included): the full
/// pipeline (luma → 5×5 Gaussian → Canny) and plain Canny without the blur. Each must agree on ≥ 99 % of pixels;
/// the figures go to the test run's report.
/// </summary>
public sealed class CannyOpenCvAgreementTests(CannyOpenCvAgreementTests.Totals totals) : IClassFixture<CannyOpenCvAgreementTests.Totals>
{
    public static TheoryData<int, int, int, int, int> Cases => new()
    {
        { 640, 480, 1, 100, 200 },
        { 513, 377, 2, 100, 200 },
        { 1024, 768, 3, 100, 200 },
        { 301, 997, 4, 100, 200 },
        { 800, 800, 5, 50, 150 },
        { 640, 640, 7, 20, 60 },
        { 1279, 719, 6, 100, 200 },
    };

    private const double Required = 0.99;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Detect_WithBlur_AgreesWithOpenCvGaussianBlurAndCanny(int width, int height, int seed, int low, int high)
    {
        using var image = TestImages.PhotoLike(width, height, seed);

        var ours = CannyEdgeDetector.Detect(image, new CannyOptions(low, high, Blur: true));

        var gray = OpenCvReference.Gray(image);
        var reference = OpenCvReference.Canny(OpenCvReference.GaussianBlur5(gray, width, height), width, height, low, high);
        var agreement = Agreement(ours.Pixels, reference);
        totals.Add(blur: true, ours.Pixels, reference);
        Report($"canny agreement blur+canny {width}x{height}#{seed} ({low}/{high})", agreement, ours.Pixels, reference);
        Assert.True(agreement >= Required, $"Only {agreement:P3} of pixels agree with OpenCV.");
        Assert.True(ours.CountNonZero() > width * height / 200, "The scene should have edges.");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Detect_WithoutBlur_AgreesWithOpenCvCanny(int width, int height, int seed, int low, int high)
    {
        using var image = TestImages.PhotoLike(width, height, seed);
        var gray = OpenCvReference.Gray(image);

        var ours = CannyEdgeDetector.Detect(new GrayImage(width, height, gray), new CannyOptions(low, high, Blur: false));

        var reference = OpenCvReference.Canny(gray, width, height, low, high);
        var agreement = Agreement(ours.Pixels, reference);
        totals.Add(blur: false, ours.Pixels, reference);
        Report($"canny agreement plain canny {width}x{height}#{seed} ({low}/{high})", agreement, ours.Pixels, reference);
        Assert.True(agreement >= Required, $"Only {agreement:P3} of pixels agree with OpenCV.");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Luminance_And_Blur_AreBitExactWithOpenCv(int width, int height, int seed, int low, int high)
    {
        _ = (low, high);
        using var image = TestImages.PhotoLike(width, height, seed);
        var reference = OpenCvReference.Gray(image);

        var gray = GrayImage.FromBitmap(image);
        var blurred = new byte[width * height];
        GaussianBlur5.Apply(gray.Pixels, blurred, width, height);

        Assert.Equal(reference, gray.Pixels);
        Assert.Equal(OpenCvReference.GaussianBlur5(reference, width, height), blurred);
    }

    private static double Agreement(byte[] ours, byte[] reference)
    {
        Assert.Equal(reference.Length, ours.Length);
        var equal = 0;
        for (var i = 0; i < ours.Length; i++)
        {
            equal += ours[i] == reference[i] ? 1 : 0;
        }

        return equal / (double)ours.Length;
    }

    private static void Report(string name, double agreement, byte[] ours, byte[] reference)
    {
        var oursEdges = ours.Count(b => b != 0);
        var referenceEdges = reference.Count(b => b != 0);
        TestFigures.ReportPercent(
            name,
            agreement,
            detail: string.Create(CultureInfo.InvariantCulture, $"edge pixels: ours {oursEdges}, OpenCV {referenceEdges} {OpenCvReference.Version}"));
    }

    /// <summary>Pixels compared over all images, reported once the class is done.</summary>
    public sealed class Totals : IDisposable
    {
        private readonly object gate = new();
        private readonly long[] compared = new long[2];
        private readonly long[] equal = new long[2];
        private readonly int[] images = new int[2];

        public void Add(bool blur, byte[] ours, byte[] reference)
        {
            var same = 0L;
            for (var i = 0; i < ours.Length; i++)
            {
                same += ours[i] == reference[i] ? 1 : 0;
            }

            lock (gate)
            {
                var k = blur ? 1 : 0;
                compared[k] += ours.Length;
                equal[k] += same;
                images[k]++;
            }
        }

        public void Dispose()
        {
            for (var k = 1; k >= 0; k--)
            {
                if (compared[k] > 0)
                {
                    TestFigures.ReportPercent(
                        $"canny agreement overall {(k == 1 ? "blur+canny" : "plain canny")}",
                        equal[k] / (double)compared[k],
                        detail: $"{equal[k]} of {compared[k]} pixels over {images[k]} images");
                }
            }
        }
    }
}
