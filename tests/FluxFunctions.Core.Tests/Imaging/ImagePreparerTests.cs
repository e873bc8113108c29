using System.Globalization;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;
using FluxFunctions.ImageRules;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>What each tool sends: sizes, pass-through of inputs that already fit, format families, local Canny.</summary>
public sealed class ImagePreparerTests
{
    [Fact]
    public void Prepare_FillJpegAlreadyAtTargetSize_SendsTheOriginalBytes()
    {
        var image = FillMaskTests.Photo(1024, 1024);
        using var maskBitmap = TestImages.Mask(1024, 1024, new SKRectI(300, 300, 700, 700));
        var mask = TestFiles.Png(maskBitmap);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill(context: ContextMode.Off)), image) { Mask = mask });

        Assert.True(prepared.Image.Passthrough);
        Assert.True(prepared.Report.Passthrough);
        Assert.Equal(image, prepared.Image.Bytes.ToArray());
        Assert.Equal(ImageFileFormat.Jpeg, prepared.Image.Format);
        Assert.Equal(new PixelSize(1024, 1024), prepared.TargetSize);

        var sent = prepared.Image.Bytes.Length + prepared.Mask!.Bytes.Length;
        var ratio = sent / (double)(image.Length + mask.Length);
        TestFigures.Report("prepare bytes sent / input, fill 1024x1024 JPEG + mask (base64 ×4/3)", string.Create(CultureInfo.InvariantCulture, $"{ratio:0.000} ({ratio * 4 / 3:0.000})"));
        Assert.True(ratio * 4 / 3 <= 1.40, $"Sent {sent} bytes for {image.Length + mask.Length} bytes of input.");
    }

    [Theory]
    [InlineData(80, 80)]
    [InlineData(60, ImagePreparer.MinSentJpegQuality)]
    [InlineData(98, 92)]
    public void Prepare_FillCropOfAJpeg_ReencodedAtTheInputsQualityUpToTheConfiguredOne(int inputQuality, int sentQuality)
    {
        using var bitmap = TestImages.PhotoLike(1024, 1024, 4);
        var image = TestFiles.Jpeg(bitmap, inputQuality);
        using var maskBitmap = TestImages.Mask(1024, 1024, new SKRectI(400, 400, 600, 600));

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill(context: ContextMode.Always)), image) { Mask = TestFiles.Png(maskBitmap) });

        var seed = prepared.Crops[0].Seed;
        Assert.False(seed.Passthrough);
        Assert.Equal(sentQuality, JpegQualityEstimator.Estimate(seed.Bytes.Span));
        Assert.Contains(prepared.Report.Steps, s => s.StartsWith($"encoded as JPEG, quality {sentQuality}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("canny-none", "png")]
    [InlineData("canny-runware", "jpeg")]
    [InlineData("depth-runware", "webp")]
    [InlineData("depth-none", "png")]
    public void Prepare_GuideAlreadyAtTargetSize_SendsTheOriginalBytes(string tool, string format)
    {
        using var bitmap = TestImages.PhotoLike(1024, 1024, 4);
        var image = format switch { "png" => TestFiles.Png(bitmap), "jpeg" => TestFiles.Jpeg(bitmap), _ => TestFiles.Webp(bitmap) };
        var spec = SpecFor(tool);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), image));

        Assert.True(prepared.Image.Passthrough);
        Assert.Equal(image, prepared.Image.Bytes.ToArray());
        Assert.Null(prepared.Mask);
    }

    /// <summary>An input that would go as it came is checked, not decoded whole: a damaged one is still refused here.</summary>
    [Theory]
    [InlineData("redux", "jpeg")]
    [InlineData("depth-runware", "webp")]
    [InlineData("canny-runware", "jpeg")]
    [InlineData("depth-none", "png")]
    public void Prepare_DamagedInputAtASizeSentAsItCame_RefusedAsCorrupt(string tool, string format)
    {
        using var bitmap = TestImages.PhotoLike(1024, 1024, 4);
        var file = format switch { "png" => TestFiles.Png(bitmap), "jpeg" => TestFiles.Jpeg(bitmap), _ => TestFiles.Webp(bitmap) };
        var spec = SpecFor(tool);
        Assert.True(ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), file)).Image.Passthrough);

        var error = Expect.Error(ErrorCodes.CorruptImage, () => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), file[..(file.Length * 2 / 3)])));

        Assert.Equal("image", error.Parameter);
    }

    /// <summary>The spec of a guide or Redux job named in a test's data; any other name is Depth through Runware's preprocessor.</summary>
    private static EditSpec SpecFor(string tool) => tool switch
    {
        "redux" => Specs.Redux(),
        "canny-none" => Specs.Canny(PreprocessMode.None),
        "canny-runware" => Specs.Canny(PreprocessMode.Runware),
        "depth-none" => Specs.Depth(PreprocessMode.None),
        _ => Specs.Depth(),
    };

    [Fact]
    public void PrepareReference_DamagedAtAnAcceptedSize_RefusedNamingTheField()
    {
        var file = FillMaskTests.Photo(800, 600);
        var spec = new EditSpec { Tool = FluxTool.Kontext, Prompt = "x y" };

        var error = Expect.Error(ErrorCodes.CorruptImage, () => ImagePreparer.PrepareReference(new PrepareRequest(ImageEdits.From(spec), file[..(file.Length / 2)]), "references[0]"));

        Assert.Equal("references[0]", error.Parameter);
    }

    [Fact]
    public void Prepare_ReduxGuideWithinRunwareLimits_SentAsItCameAtItsOwnSize()
    {
        var image = FillMaskTests.Photo(800, 600);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Redux()), image));

        Assert.True(prepared.Image.Passthrough);
        Assert.Equal(image, prepared.Image.Bytes.ToArray());
        Assert.Equal(new PixelSize(800, 600), prepared.Image.Size);
        var (w, h) = SizePlanner.Plan(800, 600, null, null);
        Assert.Equal(new PixelSize(w, h), prepared.TargetSize);
    }

    [Fact]
    public void Prepare_ReduxGuideTooLarge_ResizedToAboutOneMegapixel()
    {
        var image = FillMaskTests.Photo(3000, 2000);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Redux()), image));

        Assert.False(prepared.Image.Passthrough);
        Assert.Equal(ImageFileFormat.Jpeg, prepared.Image.Format);
        Assert.InRange(prepared.Image.Size.Pixels, 800_000, 1_300_000);
    }

    [Fact]
    public void Prepare_ExifRotatedJpegAtTargetSize_ReencodedUpright()
    {
        // Stored 768×1024 with orientation 8 (the viewer turns it 90° counter-clockwise): upright it is 1024×768.
        using var upright = TestImages.Quadrants(1024, 768);
        using var stored = TestImages.Create(768, 1024);
        using (var canvas = new SKCanvas(stored))
        using (var image = SKImage.FromBitmap(upright))
        {
            canvas.SetMatrix(new SKMatrix(0, -1, 768, 1, 0, 0, 0, 0, 1));
            canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        }

        var file = TestFiles.WithExifOrientation(TestFiles.Jpeg(stored, 95), 8);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Canny(PreprocessMode.None, 1024, 768)), file));

        Assert.False(prepared.Image.Passthrough);
        Assert.Equal(ImageFileFormat.Jpeg, prepared.Image.Format);
        Assert.Equal(new PixelSize(1024, 768), prepared.OriginalSize);
        using var sent = TestImages.DecodeRaw(prepared.Image.Bytes.ToArray());
        Assert.Equal((1024, 768), (sent.Width, sent.Height));
        Assert.True(sent.GetPixel(200, 150).Red > 200 && sent.GetPixel(200, 150).Green < 60, "Red must be top-left.");
        Assert.True(sent.GetPixel(800, 600).Red > 200 && sent.GetPixel(800, 600).Green > 200, "Yellow must be bottom-right.");
    }

    [Fact]
    public void Prepare_LargePng_ResizedAndKeptPng()
    {
        using var bitmap = TestImages.PhotoLike(2000, 1500, 8);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Depth()), TestFiles.Png(bitmap)));

        var (w, h) = SizePlanner.Plan(2000, 1500, null, null);
        Assert.Equal(new PixelSize(w, h), prepared.TargetSize);
        Assert.Equal(ImageFileFormat.Png, prepared.Image.Format);
        Assert.Equal(prepared.TargetSize, prepared.Image.Size);
        Assert.Equal(ImageFileFormat.Png, ImageProbe.Probe(prepared.Image.Bytes.Span, ImageLimits.Default).Format);
    }

    [Fact]
    public void Prepare_TransparentPngAtTargetSize_FlattenedOntoWhite()
    {
        using var bitmap = TestImages.Solid(1024, 1024, SKColors.Transparent);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Blue })
        {
            canvas.DrawRect(0, 0, 512, 1024, paint);
        }

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Canny(PreprocessMode.None)), TestFiles.Png(bitmap)));

        Assert.False(prepared.Image.Passthrough);
        using var sent = TestImages.DecodeRaw(prepared.Image.Bytes.ToArray());
        Assert.Equal(SKColors.White, sent.GetPixel(800, 500));
        Assert.Equal(SKColors.Blue, sent.GetPixel(200, 500));
    }

    [Fact]
    public void Prepare_CannyLocal_SendsABinaryGrayscaleEdgeMapAtTheTargetSize()
    {
        var image = FillMaskTests.Photo(1000, 750, 3);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Canny()), image));

        var (w, h) = SizePlanner.Plan(1000, 750, null, null);
        Assert.Equal(new PixelSize(w, h), prepared.Image.Size);
        var bytes = prepared.Image.Bytes.ToArray();
        Assert.Equal(ImageFileFormat.Png, prepared.Image.Format);
        Assert.Equal(0, bytes[25]); // grayscale PNG
        using var edges = TestImages.DecodeRaw(bytes);
        var gray = GrayImage.FromBitmap(edges);
        Assert.All(gray.Pixels, v => Assert.True(v is 0 or 255));
        Assert.InRange(gray.CountNonZero(), w * h / 500, w * h / 5);
        Assert.Contains(prepared.Report.Steps, s => s.Contains("local Canny", StringComparison.Ordinal));
    }

    [Fact]
    public void Prepare_CannyWithOtherAspectRequested_CropsTheCentreAndWarns()
    {
        var image = FillMaskTests.Photo(1600, 800, 3);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Canny(PreprocessMode.Runware, 1024, 1024)), image));

        Assert.Equal(new PixelSize(1024, 1024), prepared.Image.Size);
        Assert.Contains(prepared.Warnings, w => w.Contains("cropped to the centre", StringComparison.Ordinal));
        Assert.Contains(prepared.Report.Steps, s => s.Contains("centre 800×800 at (400, 0)", StringComparison.Ordinal));
    }

    [Fact]
    public void Prepare_MaskForAnotherTool_IgnoredWithAWarning()
    {
        var image = FillMaskTests.Photo(1024, 1024);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Depth()), image) { Mask = image });

        Assert.Null(prepared.Mask);
        Assert.Contains(prepared.Warnings, w => w.Contains("A mask applies to erase, fill and fill-pro only", StringComparison.Ordinal));
    }
}
