using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

public sealed class OutpaintTests
{
    [Fact]
    public void Prepare_OutpaintLeft_BuildsCanvasMaskAndPlacement()
    {
        var image = FillMaskTests.Photo(768, 512);
        var spec = Specs.Fill(outpaint: new OutpaintSpec(Top: 0, Right: 0, Bottom: 0, Left: 256, Blur: 16));

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), image));

        var (w, h) = SizePlanner.Plan(1024, 512, null, null);
        Assert.Equal(new PixelSize(w, h), prepared.TargetSize);
        Assert.Equal(new FillPlacement(1024, 512, new PixelRect(256, 0, 768, 512), new PixelRect(0, 0, 1024, 512), w, h), prepared.Placement);
        Assert.Equal(prepared.TargetSize, prepared.Image.Size);
        Assert.False(prepared.Image.Passthrough);

        var scale = w / 1024.0;
        var mask = FillMaskTests.DecodeMask(prepared);
        int Sent(double x) => (int)(x * scale);
        Assert.Equal(255, mask[Sent(100), h / 2]);                 // padding
        Assert.Equal(255, mask[Sent(250), h / 2]);
        Assert.InRange(mask[Sent(256) + 2, h / 2], 1, 254);         // fading into the original
        Assert.Equal(0, mask[Sent(256 + 40), h / 2]);               // the original beyond the blur
        Assert.Equal(0, mask[w - 1, h - 1]);
    }

    [Fact]
    public void Prepare_Outpaint_FillsThePaddingWithTheOriginalsColoursNotBlack()
    {
        using var bitmap = TestImages.Solid(600, 400, new SKColor(210, 180, 140));
        var spec = Specs.Fill(outpaint: new OutpaintSpec(Top: 100, Right: 200, Bottom: 0, Left: 0, Blur: 8));

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), TestFiles.Png(bitmap)));

        using var seed = TestImages.DecodeRaw(prepared.Image.Bytes.ToArray());
        foreach (var (x, y) in new[] { (seed.Width - 3, 2), (seed.Width - 3, seed.Height - 3), (5, 3) })
        {
            var c = seed.GetPixel(x, y);
            Assert.True(Math.Abs(c.Red - 210) + Math.Abs(c.Green - 180) + Math.Abs(c.Blue - 140) < 30, $"Padding at ({x}, {y}) is {c}.");
        }

        Assert.Equal(new PixelRect(0, 100, 600, 400), prepared.Placement!.Original);
        Assert.Equal(new PixelSize(800, 500), prepared.Placement.Canvas);
    }

    [Fact]
    public void Prepare_OutpaintWithAMask_CombinesBoth()
    {
        var image = FillMaskTests.Photo(512, 512);
        using var maskBitmap = TestImages.Mask(512, 512, new SKRectI(200, 200, 300, 300));
        var spec = Specs.Fill(feather: 0, outpaint: new OutpaintSpec(0, 512, 0, 0, 0));

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), image) { Mask = TestFiles.Png(maskBitmap) });

        var mask = FillMaskTests.DecodeMask(prepared);
        var scale = prepared.TargetSize.Width / 1024.0;
        Assert.Equal(255, mask[(int)(250 * scale), (int)(250 * scale)]);
        Assert.Equal(255, mask[(int)(800 * scale), (int)(250 * scale)]);
        Assert.Equal(0, mask[(int)(100 * scale), (int)(100 * scale)]);
    }

    [Fact]
    public void Prepare_OutpaintTooElongatedForRunwareSizes_OutOfRange()
    {
        var image = FillMaskTests.Photo(512, 256);
        var spec = Specs.Fill(outpaint: new OutpaintSpec(0, 2048, 0, 2048, 0));

        var error = Expect.Error(ErrorCodes.OutOfRange, () => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), image)));

        Assert.Equal("outpaint", error.Parameter);
        Assert.Contains("4608×256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_OutpaintCanvasOverThePixelBudget_ImageTooLarge()
    {
        var image = FillMaskTests.Photo(1000, 1000);
        var spec = Specs.Fill(outpaint: new OutpaintSpec(1000, 1000, 1000, 1000, 0));

        var error = Expect.Error(ErrorCodes.ImageTooLarge, () => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), image) { Limits = new ImageLimits(MaxPixels: 4_000_000) }));

        Assert.Equal("outpaint", error.Parameter);
    }

    [Fact]
    public void Prepare_OutpaintWithRequestedSize_UsesIt()
    {
        var image = FillMaskTests.Photo(768, 768);
        var spec = Specs.Fill(outpaint: new OutpaintSpec(0, 256, 0, 0, 8)) with { Width = 1024, Height = 768 };

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), image));

        Assert.Equal(new PixelSize(1024, 768), prepared.TargetSize);
        Assert.Equal(new PixelSize(1024, 768), prepared.Image.Size);
        Assert.Empty(prepared.Warnings);
    }
}
