using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;
using FluxFunctions.ImageRules;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>Fill masks: any size and format in, the mask Runware gets out (a 1024² image is sent 1:1).</summary>
public sealed class FillMaskTests
{
    private static readonly byte[] Image = Photo(1024, 1024);

    [Fact]
    public void Prepare_MaskOfAnotherAspectRatio_MaskAspectMismatch()
    {
        using var mask = TestImages.Mask(300, 200, new SKRectI(10, 10, 50, 50));

        var error = Expect.Error(ErrorCodes.MaskAspectMismatch, () => Prepare(TestFiles.Png(mask)));

        Assert.Equal("mask", error.Parameter);
        Assert.Contains("300×200", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_MaskOfSameAspectAtQuarterResolution_IsResizedToTheImage()
    {
        using var mask = TestImages.Mask(256, 256, new SKRectI(64, 64, 128, 128));

        var prepared = Prepare(TestFiles.Jpeg(mask, 95), feather: 0);

        var sent = DecodeMask(prepared);
        Assert.Equal((1024, 1024), (sent.Width, sent.Height));
        Assert.Equal(255, sent[384, 384]);
        Assert.Equal(255, sent[260, 260]);
        Assert.Equal(0, sent[250, 384]);
        Assert.Equal(0, sent[520, 384]);
        Assert.Equal(0, sent[900, 900]);
        Assert.Contains(prepared.Report.Steps, s => s.Contains("mask resized 256×256 → 1024×1024", StringComparison.Ordinal));
        Assert.Equal(256.0 * 256 / (1024 * 1024), prepared.Report.MaskCoverage!.Value, 2);
    }

    [Fact]
    public void Prepare_MaskWithOneExtraPixelRow_AcceptedAsSameAspect()
    {
        using var mask = TestImages.Mask(512, 513, new SKRectI(0, 0, 100, 100));

        var prepared = Prepare(TestFiles.Png(mask));

        Assert.NotNull(prepared.Mask);
    }

    [Fact]
    public void Prepare_AlphaMaskPaintedInRed_UsesTheAlphaChannel()
    {
        // Red on a transparent layer: its luminance (76) alone would read as black, the alpha marks the area.
        using var mask = TestImages.AlphaMask(1024, 1024, SKColors.Red, new SKRectI(100, 100, 400, 400));

        var prepared = Prepare(TestFiles.Png(mask), feather: 0);

        var sent = DecodeMask(prepared);
        Assert.Equal(255, sent[250, 250]);
        Assert.Equal(0, sent[600, 600]);
        Assert.Contains(prepared.Report.Steps, s => s.Contains("alpha channel", StringComparison.Ordinal));
    }

    [Fact]
    public void Prepare_OpaqueRgbaMask_UsesLuminance()
    {
        using var mask = TestImages.Mask(1024, 1024, new SKRectI(100, 100, 400, 400));
        using var rgba = TestImages.Create(1024, 1024, opaque: false);
        mask.GetPixelSpan().CopyTo(rgba.GetPixelSpan());

        var prepared = Prepare(TestFiles.Png(rgba), feather: 0);

        var sent = DecodeMask(prepared);
        Assert.Equal(255, sent[250, 250]);
        Assert.Equal(0, sent[600, 600]);
        Assert.Contains(prepared.Report.Steps, s => s.Contains("luminance", StringComparison.Ordinal));
    }

    [Fact]
    public void Prepare_Grow_DilatesByThatManyPixels()
    {
        using var mask = TestImages.Mask(1024, 1024, new SKRectI(400, 400, 600, 600));

        var sent = DecodeMask(Prepare(TestFiles.Png(mask), grow: 10, feather: 0));

        Assert.Equal(255, sent[609, 500]);
        Assert.Equal(0, sent[611, 500]);
        Assert.Equal(255, sent[500, 390]);
        Assert.Equal(0, sent[500, 388]);

        // A disc, not a square: the corner grows by 10 px along the diagonal only.
        Assert.Equal(255, sent[606, 606]);
        Assert.Equal(0, sent[608, 608]);
    }

    [Fact]
    public void Prepare_Feather_SoftensTheEdgeOutwardOnly()
    {
        using var mask = TestImages.Mask(1024, 1024, new SKRectI(400, 400, 600, 600));

        var sent = DecodeMask(Prepare(TestFiles.Png(mask), grow: 0, feather: 8));

        Assert.Equal(255, sent[599, 500]); // the marked area stays fully regenerated
        var ramp = Enumerable.Range(600, 8).Select(x => (int)sent[x, 500]).ToArray();
        Assert.All(ramp[..7], v => Assert.InRange(v, 1, 254));
        Assert.Equal(ramp.OrderByDescending(v => v), ramp);
        Assert.Equal(0, sent[608, 500]);
        Assert.Equal(0, sent[620, 500]);
    }

    [Fact]
    public void Prepare_AllBlackMask_EmptyMask()
    {
        using var mask = TestImages.Mask(1024, 1024);

        var error = Expect.Error(ErrorCodes.EmptyMask, () => Prepare(TestFiles.Png(mask)));

        Assert.Contains("nothing to regenerate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_AllWhiteMask_AllowedWithAWarning()
    {
        using var mask = TestImages.Solid(512, 512, SKColors.White);

        var prepared = Prepare(TestFiles.Png(mask));

        Assert.Contains(prepared.Warnings, w => w.Contains("all white", StringComparison.Ordinal));
        Assert.All(DecodeMask(prepared).Pixels, v => Assert.Equal(255, v));
    }

    [Fact]
    public void Prepare_FillWithoutMaskOrOutpaint_MissingField()
    {
        var error = Expect.Error(ErrorCodes.MissingField, () => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill()), Image)));

        Assert.Equal("mask", error.Parameter);
    }

    [Fact]
    public void Prepare_CorruptMask_CorruptImageNamingTheMask()
    {
        using var mask = TestImages.Mask(1024, 1024, new SKRectI(1, 1, 500, 500));
        var file = TestFiles.Png(mask);

        var error = Expect.Error(ErrorCodes.CorruptImage, () => Prepare(file[..(file.Length / 2)]));

        Assert.Equal("mask", error.Parameter);
    }

    [Fact]
    public void Prepare_Mask_IsEightBitGrayscalePng()
    {
        using var mask = TestImages.Mask(1024, 1024, new SKRectI(100, 100, 300, 300));

        var prepared = Prepare(TestFiles.Png(mask));

        var bytes = prepared.Mask!.Bytes.ToArray();
        Assert.Equal(ImageFileFormat.Png, prepared.Mask.Format);
        Assert.Equal(8, bytes[24]);  // IHDR bit depth
        Assert.Equal(0, bytes[25]);  // IHDR colour type 0: grayscale
        Assert.True(bytes.Length < 20_000, $"The mask PNG is {bytes.Length} bytes.");
    }

    internal static byte[] Photo(int width, int height, int seed = 11)
    {
        using var bitmap = TestImages.PhotoLike(width, height, seed);
        return TestFiles.Jpeg(bitmap, 90);
    }

    internal static GrayImage DecodeMask(PreparedImages prepared)
    {
        Assert.NotNull(prepared.Mask);
        using var bitmap = TestImages.DecodeRaw(prepared.Mask.Bytes.ToArray());
        return GrayImage.FromBitmap(bitmap);
    }

    private static PreparedImages Prepare(byte[] mask, int grow = 0, int feather = 8) =>
        ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill(grow, feather, context: ContextMode.Off)), Image) { Mask = mask });
}
