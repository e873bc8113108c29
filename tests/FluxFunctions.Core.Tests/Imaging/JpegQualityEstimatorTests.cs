using FluxFunctions.Imaging;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>The quality a JPEG was written at, read back from its quantisation table.</summary>
public sealed class JpegQualityEstimatorTests
{
    [Theory]
    [InlineData(30)]
    [InlineData(50)]
    [InlineData(75)]
    [InlineData(85)]
    [InlineData(90)]
    [InlineData(95)]
    public void Estimate_SkiaJpeg_GivesTheQualityItWasWrittenAt(int quality)
    {
        using var bitmap = TestImages.PhotoLike(64, 64, 3);
        var jpeg = TestFiles.Jpeg(bitmap, quality);

        Assert.Equal(quality, JpegQualityEstimator.Estimate(jpeg));
    }

    [Fact]
    public void Estimate_NotAJpegOrCutBeforeItsTables_IsNull()
    {
        using var bitmap = TestImages.PhotoLike(64, 64, 3);
        var jpeg = TestFiles.Jpeg(bitmap, 80);
        var dqt = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDB]);

        Assert.Null(JpegQualityEstimator.Estimate(TestFiles.Png(bitmap)));
        Assert.Null(JpegQualityEstimator.Estimate(jpeg.AsSpan(0, dqt + 10)));
        Assert.Null(JpegQualityEstimator.Estimate([]));
    }
}
