using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

public sealed class ImageDecoderTests
{
    private static readonly ImageLimits Limits = ImageLimits.Default;

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    [InlineData("webp-lossless")]
    public void Decode_TruncatedFile_CorruptImage(string format)
    {
        using var bitmap = TestImages.PhotoLike(300, 200, 5);
        var file = Encoded(format, bitmap);

        var error = Expect.Error(ErrorCodes.CorruptImage, () => ImageDecoder.Decode(file.AsSpan(0, file.Length * 2 / 3), Limits).Dispose());

        Assert.Equal("image", error.Parameter);
    }

    /// <summary>
    /// The check that stands in for a decode when the input is sent as it came refuses exactly what the decode refuses:
    /// files cut short at several places and files with a block of their data overwritten, in each format.
    /// </summary>
    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    [InlineData("webp-lossless")]
    public void Verify_DamagedOrCompleteFiles_RefusesWhatDecodeRefuses(string format)
    {
        using var bitmap = TestImages.PhotoLike(640, 480, 9);
        var file = Encoded(format, bitmap);
        var variants = new List<(string Name, byte[] Bytes)> { ("complete", file) };
        foreach (var cut in new[] { 0.3, 0.6, 0.9, 0.995 })
        {
            variants.Add(($"cut at {cut}", file[..(int)(file.Length * cut)]));
        }

        foreach (var at in new[] { 0.4, 0.7 })
        {
            var damaged = (byte[])file.Clone();
            damaged.AsSpan((int)(file.Length * at), 512).Fill(0xFF);
            variants.Add(($"0xFF block at {at}", damaged));
        }

        var refused = 0;
        foreach (var (name, bytes) in variants)
        {
            var decodeError = ErrorOf(() => ImageDecoder.Decode(bytes, Limits).Dispose());
            var verifyError = ErrorOf(() => ImageDecoder.Verify(bytes, Limits));
            Assert.True(decodeError == verifyError, $"{format}, {name}: Decode {decodeError ?? "accepted"}, Verify {verifyError ?? "accepted"}");
            refused += verifyError is null ? 0 : 1;
        }

        // The cut files at least are refused (the overwritten blocks may land where a decoder does not notice).
        Assert.True(refused >= 4, $"{format}: only {refused} of {variants.Count} variants refused");
    }

    [Fact]
    public void Verify_CompleteJpeg_GivesTheHeader()
    {
        using var bitmap = TestImages.PhotoLike(640, 480, 9);

        var info = ImageDecoder.Verify(TestFiles.Jpeg(bitmap), Limits);

        Assert.Equal((ImageFileFormat.Jpeg, 640, 480, false), (info.Format, info.Width, info.Height, info.HasAlphaChannel));
    }

    private static byte[] Encoded(string format, SkiaSharp.SKBitmap bitmap) => format switch
    {
        "png" => TestFiles.Png(bitmap),
        "jpeg" => TestFiles.Jpeg(bitmap),
        "webp" => TestFiles.Webp(bitmap),
        _ => TestFiles.Webp(bitmap, lossless: true),
    };

    private static string? ErrorOf(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (PermanentFluxException ex)
        {
            return ex.First.Code + ": " + ex.First.Message;
        }
    }

    [Fact]
    public void Decode_CompleteFile_KeepsPixels()
    {
        using var bitmap = TestImages.PhotoLike(150, 100, 2);

        using var decoded = ImageDecoder.Decode(TestFiles.Png(bitmap), Limits);

        Assert.Equal(TestImages.PixelsOf(bitmap), TestImages.PixelsOf(decoded.Bitmap));
        Assert.False(decoded.HasTransparency);
    }

    [Fact]
    public void Decode_PngWithPartialAlpha_KeepsUnpremultipliedColours()
    {
        using var bitmap = TestImages.Solid(40, 40, new SKColor(200, 100, 50, 10));

        using var decoded = ImageDecoder.Decode(TestFiles.Png(bitmap), Limits);

        Assert.True(decoded.HasTransparency);
        Assert.Equal(new SKColor(200, 100, 50, 10), decoded.Bitmap.GetPixel(20, 20));
    }

    /// <summary>
    /// The stored pixels are the upright picture transformed the way a camera would store it (drawn with SkiaSharp's
    /// own matrices, independent of the decoder's code); decoding must give the upright picture back.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Decode_JpegWithExifOrientation_ComesOutUpright(int orientation)
    {
        const int w = 160, h = 100;
        using var upright = TestImages.Quadrants(w, h);
        using var stored = Stored(upright, orientation);
        var jpeg = TestFiles.WithExifOrientation(TestFiles.Jpeg(stored, 95), orientation);

        using var decoded = ImageDecoder.Decode(jpeg, Limits);

        Assert.Equal(orientation, decoded.Info.ExifOrientation);
        Assert.Equal((w, h), (decoded.Width, decoded.Height));
        foreach (var (x, y) in new[] { (w / 4, h / 4), (3 * w / 4, h / 4), (w / 4, 3 * h / 4), (3 * w / 4, 3 * h / 4) })
        {
            AssertClose(upright.GetPixel(x, y), decoded.Bitmap.GetPixel(x, y));
        }
    }

    private static SKBitmap Stored(SKBitmap upright, int orientation)
    {
        float w = upright.Width, h = upright.Height;
        var swaps = orientation >= 5;
        var stored = TestImages.Create(swaps ? upright.Height : upright.Width, swaps ? upright.Width : upright.Height);
        using var canvas = new SKCanvas(stored);

        // The inverse of what a viewer does to show the stored image upright.
        var matrix = orientation switch
        {
            2 => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),  // mirrored horizontally
            3 => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1), // turned 180°
            4 => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),  // mirrored vertically
            5 => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),   // transposed
            6 => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),  // stored turned 90° counter-clockwise (viewer turns it clockwise)
            7 => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1), // transversed
            8 => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),  // stored turned 90° clockwise
            _ => SKMatrix.Identity,
        };
        canvas.SetMatrix(matrix);
        using var image = SKImage.FromBitmap(upright);
        canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        return stored;
    }

    private static void AssertClose(SKColor expected, SKColor actual)
    {
        var distance = Math.Abs(expected.Red - actual.Red) + Math.Abs(expected.Green - actual.Green) + Math.Abs(expected.Blue - actual.Blue);
        Assert.True(distance < 40, $"Expected {expected}, got {actual}.");
    }
}
