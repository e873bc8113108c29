using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

public sealed class ImageProbeTests
{
    private static readonly ImageLimits Limits = ImageLimits.Default;

    [Fact]
    public void Probe_Png_ReadsFormatSizeAndAlpha()
    {
        using var bitmap = TestImages.Solid(300, 200, SKColors.Teal.WithAlpha(128));

        var info = ImageProbe.Probe(TestFiles.Png(bitmap), Limits);

        Assert.Equal(new ImageInfo(ImageFileFormat.Png, 300, 200, 1, HasAlphaChannel: true, Lossless: true), info);
        Assert.Equal("image/png", info.ContentType);
    }

    [Fact]
    public void Probe_Jpeg_ReadsFormatAndSize()
    {
        using var bitmap = TestImages.Quadrants(320, 240);

        var info = ImageProbe.Probe(TestFiles.Jpeg(bitmap), Limits);

        Assert.Equal(ImageFileFormat.Jpeg, info.Format);
        Assert.Equal((320, 240), (info.Width, info.Height));
        Assert.False(info.HasAlphaChannel);
        Assert.False(info.Lossless);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Probe_Webp_TellsLossyFromLossless(bool lossless)
    {
        using var bitmap = TestImages.Quadrants(64, 48);

        var info = ImageProbe.Probe(TestFiles.Webp(bitmap, lossless), Limits);

        Assert.Equal(ImageFileFormat.Webp, info.Format);
        Assert.Equal((64, 48), (info.Width, info.Height));
        Assert.Equal(lossless, info.Lossless);
    }

    [Fact]
    public void Probe_JpegWithExifOrientation6_ReportsItAndTheUprightSize()
    {
        using var bitmap = TestImages.Quadrants(100, 60);
        var jpeg = TestFiles.WithExifOrientation(TestFiles.Jpeg(bitmap), 6);

        var info = ImageProbe.Probe(jpeg, Limits);

        Assert.Equal(6, info.ExifOrientation);
        Assert.Equal((100, 60), (info.Width, info.Height));
        Assert.Equal((60, 100), (info.UprightWidth, info.UprightHeight));
    }

    [Fact]
    public void Probe_EmptyFile_EmptyImage()
    {
        var error = Expect.Error(ErrorCodes.EmptyImage, () => ImageProbe.Probe([], Limits));

        Assert.Equal("image", error.Parameter);
    }

    [Fact]
    public void Probe_ZipRenamedToPng_NotAnImage()
    {
        var error = Expect.Error(ErrorCodes.NotAnImage, () => ImageProbe.Probe(TestFiles.Zip(), Limits));

        Assert.Contains("ZIP", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_JsonText_NotAnImage()
    {
        Expect.Error(ErrorCodes.NotAnImage, () => ImageProbe.Probe("{\"prompt\":\"a cat\"}"u8.ToArray(), Limits));
    }

    [Fact]
    public void Probe_Gif_UnsupportedImageFormat()
    {
        var error = Expect.Error(ErrorCodes.UnsupportedImageFormat, () => ImageProbe.Probe(TestFiles.Gif(), Limits));

        Assert.Contains("GIF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_Bmp_UnsupportedImageFormat()
    {
        var error = Expect.Error(ErrorCodes.UnsupportedImageFormat, () => ImageProbe.Probe(TestFiles.Bmp(32, 32), Limits));

        Assert.Contains("BMP", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_MaskParameter_NamedInTheError()
    {
        var error = Expect.Error(ErrorCodes.UnsupportedImageFormat, () => ImageProbe.Probe(TestFiles.Gif(), Limits, "mask"));

        Assert.Equal("mask", error.Parameter);
        Assert.StartsWith("The mask", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("png", 5)]
    [InlineData("png", 30)]
    [InlineData("jpeg", 40)]
    [InlineData("webp", 12)]
    [InlineData("webp", 24)]
    public void Probe_FileCutInsideItsHeader_CorruptImage(string format, int keep)
    {
        using var bitmap = TestImages.PhotoLike(200, 150, 3);
        var file = format switch
        {
            "png" => TestFiles.Png(bitmap),
            "jpeg" => TestFiles.Jpeg(bitmap),
            _ => TestFiles.Webp(bitmap),
        };

        Expect.Error(ErrorCodes.CorruptImage, () => ImageProbe.Probe(file.AsSpan(0, keep), Limits));
    }

    [Fact]
    public void Probe_TinyImage_ImageTooSmall()
    {
        using var bitmap = TestImages.Solid(8, 40, SKColors.Gray);

        var error = Expect.Error(ErrorCodes.ImageTooSmall, () => ImageProbe.Probe(TestFiles.Png(bitmap), Limits));

        Assert.Contains("8×40", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_FileOverTheByteLimit_ImageTooLarge()
    {
        using var bitmap = TestImages.PhotoLike(200, 200, 1);

        Expect.Error(ErrorCodes.ImageTooLarge, () => ImageProbe.Probe(TestFiles.Png(bitmap), new ImageLimits(MaxBytes: 1000)));
    }

    [Fact]
    public void Probe_PngHeaderOf30000x30000_RefusedBeforeAnyPixelAllocation()
    {
        var bomb = TestFiles.PngHeader(30000, 30000);
        Assert.True(bomb.Length < 100);
        ImageProbe.Probe(TestFiles.PngHeader(64, 64), Limits); // warm up SkiaSharp's statics and the JIT
        GC.Collect();
        var workingSetBefore = Environment.WorkingSet;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Expect.Error(ErrorCodes.ImageTooLarge, () => ImageProbe.Probe(bomb, Limits));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var workingSetGrowth = Environment.WorkingSet - workingSetBefore;
        Assert.Contains("30000×30000", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 256 * 1024, $"Managed allocation was {allocated} bytes; decoding would need 3.6 GB.");
        Assert.True(workingSetGrowth < 256L * 1024 * 1024, $"The working set grew by {workingSetGrowth} bytes.");
    }

    [Fact]
    public void Decode_PngHeaderOf30000x30000_RefusedBeforeAnyPixelAllocation()
    {
        var bomb = TestFiles.PngHeader(30000, 30000);
        ImageProbe.Probe(TestFiles.PngHeader(64, 64), Limits);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        Expect.Error(ErrorCodes.ImageTooLarge, () => ImageDecoder.Decode(bomb, Limits).Dispose());

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 256 * 1024);
    }
}
