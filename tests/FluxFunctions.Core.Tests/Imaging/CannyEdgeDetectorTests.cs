using FluxFunctions.Imaging;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

public sealed class CannyEdgeDetectorTests
{
    [Fact]
    public void Detect_BrightSquareOnBlack_EdgesOnlyAlongItsBorder()
    {
        var gray = new GrayImage(64, 64);
        for (var y = 20; y < 44; y++)
        {
            gray.Row(y)[20..44].Fill(200);
        }

        var edges = CannyEdgeDetector.Detect(gray, new CannyOptions(100, 200, Blur: false));

        Assert.Equal(0, edges[10, 10]);
        Assert.Equal(0, edges[32, 32]);
        Assert.Equal(0, edges[55, 32]);
        for (var i = 22; i < 42; i++)
        {
            Assert.True(edges[i, 19] + edges[i, 20] > 0, $"top edge missing at x={i}");
            Assert.True(edges[19, i] + edges[20, i] > 0, $"left edge missing at y={i}");
            Assert.True(edges[i, 43] + edges[i, 44] > 0, $"bottom edge missing at x={i}");
        }

        Assert.All(edges.Pixels, v => Assert.True(v is 0 or 255));
    }

    [Fact]
    public void Detect_FlatImage_NoEdges()
    {
        var gray = new GrayImage(100, 80, Enumerable.Repeat((byte)137, 8000).ToArray());

        Assert.Equal(0, CannyEdgeDetector.Detect(gray).CountNonZero());
    }

    [Fact]
    public void Detect_ThresholdsGivenHighFirst_SameAsInOrder()
    {
        using var image = TestImages.PhotoLike(200, 150, 9);
        var gray = GrayImage.FromBitmap(image);

        var swapped = CannyEdgeDetector.Detect(gray, new CannyOptions(150, 50));
        var ordered = CannyEdgeDetector.Detect(gray, new CannyOptions(50, 150));

        Assert.Equal(ordered.Pixels, swapped.Pixels);
    }

    [Fact]
    public void Detect_WeakEdgeConnectedToAStrongOne_KeptByHysteresis()
    {
        // Two horizontal steps. The upper one's contrast falls smoothly from 60 (Sobel magnitude 240, strong) to 30
        // (120, weak); the lower one is 30 all along (weak, connected to nothing strong).
        var gray = new GrayImage(60, 40);
        for (var x = 0; x < 60; x++)
        {
            var contrast = (byte)Math.Clamp(60 - ((x - 10) * 1.5), 30, 60);
            for (var y = 10; y < 20; y++)
            {
                gray[x, y] = contrast;
            }

            for (var y = 30; y < 40; y++)
            {
                gray[x, y] = 30;
            }
        }

        var edges = CannyEdgeDetector.Detect(gray, new CannyOptions(100, 200, Blur: false));
        var noStrong = CannyEdgeDetector.Detect(gray, new CannyOptions(100, 250, Blur: false));

        Assert.True(edges[5, 9] + edges[5, 10] > 0, "the strong part is an edge");
        Assert.True(edges[50, 9] + edges[50, 10] > 0, "the weak part is reached from the strong part");
        Assert.Equal(0, edges[30, 29] + edges[30, 30]);
        Assert.Equal(0, noStrong.CountNonZero());
    }

    [Theory]
    [InlineData(300, 200)]
    [InlineData(1030, 700)]
    public void Detect_IntoAUsedLargerArray_SameEdgesAsANewOne_RestLeftAlone(int width, int height)
    {
        // A pooled array holds the last job's pixels and is larger than asked for: luma and edges are written over, not
        // merged, and nothing past width × height is touched.
        using var photo = TestImages.PhotoLike(width, height, 3);
        var pixels = width * height;
        var luma = Enumerable.Repeat((byte)77, pixels + 4096).ToArray();
        var into = Enumerable.Repeat((byte)255, pixels + 4096).ToArray();
        into.AsSpan(0, pixels).Fill(Weak);

        var gray = GrayImage.FromBitmap(photo, luma);
        var edges = CannyEdgeDetector.Detect(gray, into, CannyOptions.Default);

        var fresh = CannyEdgeDetector.Detect(photo, CannyOptions.Default);
        Assert.Same(into, edges.Pixels);
        Assert.Equal(GrayImage.FromBitmap(photo).Pixels, luma[..pixels]);
        Assert.Equal(fresh.Pixels, into[..pixels]);
        Assert.All(luma[pixels..], v => Assert.Equal(77, v));
        Assert.All(into[pixels..], v => Assert.Equal(255, v));
        Assert.Equal(fresh.CountNonZero(), edges.CountNonZero());
    }

    private const byte Weak = 1;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(5, 4)]
    [InlineData(7, 33)]
    [InlineData(67, 5)]
    public void Detect_TinyAndOddSizes_MatchOpenCv(int width, int height)
    {
        var random = new Random(width * 100 + height);
        var pixels = new byte[width * height];
        random.NextBytes(pixels);
        var gray = new GrayImage(width, height, pixels);

        var ours = CannyEdgeDetector.Detect(gray, new CannyOptions(60, 180, Blur: true));

        var reference = OpenCvReference.Canny(OpenCvReference.GaussianBlur5(pixels, width, height), width, height, 60, 180);
        Assert.Equal(reference, ours.Pixels);
    }
}
