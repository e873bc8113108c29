using System.Globalization;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

public sealed class ResultFinisherTests
{
    [Fact]
    public void Finish_FillStitchPng_EveryPixelOutsideTheMaskIsTheOriginals()
    {
        // 900×700 is not a Runware size: the sent image is scaled, the result scaled back.
        using var photo = TestImages.PhotoLike(900, 700, 21);
        var original = TestFiles.Png(photo);
        using var maskBitmap = TestImages.Mask(900, 700, new SKRectI(100, 120, 300, 260), new SKRectI(500, 400, 760, 640));
        var mask = TestFiles.Png(maskBitmap);
        var spec = Specs.Fill(grow: 4, feather: 12);
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), original) { Mask = mask });
        var generated = Generated(prepared.TargetSize);

        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), generated) { Original = original, Mask = mask, Placement = prepared.Placement });

        Assert.True(finished.Stitched);
        Assert.Equal(ImageFileFormat.Png, finished.Format);
        Assert.Equal((900, 700), (finished.Width, finished.Height));
        using var result = TestImages.DecodeRaw(finished.Bytes.ToArray());
        var stitchMask = FillMaskBuilder.Build(mask, ImageEdits.From(spec), prepared.Placement!, ImageLimits.Default, new FillMaskBuilder.Notes());
        var (outside, equal) = CompareOutside(photo, result, stitchMask, new PixelRect(0, 0, 900, 700));
        var exactness = equal / (double)outside;
        TestFigures.ReportPercent("stitch exactness fill 900x700 PNG (outside-mask pixels equal to the original)", exactness, detail: $"{equal} of {outside}");
        Assert.Equal(outside, equal);
        Assert.Equal(outside, finished.Stitch!.Kept);

        // Independent of the mask code: far from the drawn rectangles (beyond grow + feather) nothing moved…
        Assert.Equal(photo.GetPixel(50, 50), result.GetPixel(50, 50));
        Assert.Equal(photo.GetPixel(320, 120), result.GetPixel(320, 120));
        // …and inside them the generated image is there (it differs from the photo everywhere).
        var inside = result.GetPixel(200, 190);
        Assert.NotEqual(photo.GetPixel(200, 190), inside);
        Assert.True(finished.Stitch.Generated > 200L * 140 && finished.Stitch.Blended > 0);
    }

    [Fact]
    public void Finish_FillStitchOutpaint_KeepsTheOriginalInPlaceOnTheLargerCanvas()
    {
        using var photo = TestImages.PhotoLike(600, 400, 22);
        var original = TestFiles.Png(photo);
        var spec = Specs.Fill(outpaint: new OutpaintSpec(Top: 100, Right: 200, Bottom: 0, Left: 0, Blur: 8));
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), original));

        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), Generated(prepared.TargetSize)) { Original = original, Placement = prepared.Placement });

        Assert.Equal((800, 500), (finished.Width, finished.Height));
        using var result = TestImages.DecodeRaw(finished.Bytes.ToArray());
        var stitchMask = FillMaskBuilder.Build(null, ImageEdits.From(spec), prepared.Placement!, ImageLimits.Default, new FillMaskBuilder.Notes());
        var (outside, equal) = CompareOutside(photo, result, stitchMask, prepared.Placement!.Original);
        TestFigures.ReportPercent("stitch exactness outpaint 600x400→800x500 PNG", equal / (double)outside, detail: $"{equal} of {outside}");
        Assert.Equal(outside, equal);
        Assert.True(outside > 580 * 380);
        Assert.Equal(photo.GetPixel(300, 300), result.GetPixel(300, 400));
        Assert.Equal(255, result.GetPixel(700, 50).Alpha);
    }

    [Fact]
    public void Finish_FillStitchJpeg_OutsideTheMaskWithinJpegError()
    {
        using var photo = TestImages.PhotoLike(1024, 768, 23);
        var original = TestFiles.Jpeg(photo, 95);
        using var maskBitmap = TestImages.Mask(1024, 768, new SKRectI(300, 200, 600, 500));
        var mask = TestFiles.Png(maskBitmap);
        var spec = Specs.Fill(format: OutputFormat.JPG);
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), original) { Mask = mask });

        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), Generated(prepared.TargetSize)) { Original = original, Mask = mask, Placement = prepared.Placement });

        Assert.Equal(ImageFileFormat.Jpeg, finished.Format);
        using var decodedOriginal = TestImages.DecodeRaw(original);
        using var result = TestImages.DecodeRaw(finished.Bytes.ToArray());
        var stitchMask = FillMaskBuilder.Build(mask, ImageEdits.From(spec), prepared.Placement!, ImageLimits.Default, new FillMaskBuilder.Notes());
        var error = MeanAbsoluteErrorOutside(decodedOriginal, result, stitchMask);
        TestFigures.Report("stitch JPEG q92 output: mean |difference| outside the mask (levels of 255)", error.ToString("0.00", CultureInfo.InvariantCulture));
        Assert.True(error < 3, $"Mean error outside the mask is {error}.");
    }

    [Fact]
    public void Finish_FillStitchOfTransparentOriginal_KeepsItsAlphaOutsideTheMask()
    {
        using var photo = TestImages.Solid(512, 512, new SKColor(20, 200, 90, 100));
        var original = TestFiles.Png(photo);
        using var maskBitmap = TestImages.Mask(512, 512, new SKRectI(0, 0, 100, 100));
        var mask = TestFiles.Png(maskBitmap);
        var spec = Specs.Fill(feather: 0);
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), original) { Mask = mask });

        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), Generated(prepared.TargetSize)) { Original = original, Mask = mask, Placement = prepared.Placement });

        using var result = TestImages.DecodeRaw(finished.Bytes.ToArray());
        Assert.Equal(new SKColor(20, 200, 90, 100), result.GetPixel(300, 300));
        Assert.Equal(255, result.GetPixel(50, 50).Alpha);
    }

    [Fact]
    public void Finish_WithoutStitchInTheRequestedFormat_ReturnsTheGeneratedBytesUntouched()
    {
        var generated = Generated(new PixelSize(1024, 768));

        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(Specs.Fill(stitch: false)), generated));

        Assert.False(finished.Stitched);
        Assert.False(finished.Reencoded);
        Assert.Equal(generated, finished.Bytes.ToArray());
        Assert.Equal((1024, 768), (finished.Width, finished.Height));
    }

    [Fact]
    public void Finish_OtherToolInAnotherFormat_Reencodes()
    {
        var generated = Generated(new PixelSize(512, 512));
        var spec = Specs.Canny() with { OutputFormat = OutputFormat.WEBP };

        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), generated));

        Assert.True(finished.Reencoded);
        Assert.Equal(ImageFileFormat.Webp, finished.Format);
        Assert.Equal("image/webp", finished.ContentType);
        Assert.Equal(ImageFileFormat.Webp, ImageProbe.Probe(finished.Bytes.Span, ImageLimits.Default).Format);
    }

    /// <summary>A stand-in for Runware's answer: a smooth gradient that differs from the photos everywhere.</summary>
    private static byte[] Generated(PixelSize size)
    {
        using var bitmap = TestImages.Gradient(size.Width, size.Height, new SKColor(255, 0, 255), new SKColor(0, 255, 255));
        return TestFiles.Png(bitmap);
    }

    /// <summary>Among pixels of the original's area where the stitch mask is 0: how many, and how many equal the original.</summary>
    private static (long Outside, long Equal) CompareOutside(SKBitmap original, SKBitmap result, GrayImage mask, PixelRect at)
    {
        var before = TestImages.PixelsOf(original);
        var after = TestImages.PixelsOf(result);
        long outside = 0, equal = 0;
        for (var y = 0; y < at.Height; y++)
        {
            for (var x = 0; x < at.Width; x++)
            {
                if (mask[at.X + x, at.Y + y] != 0)
                {
                    continue;
                }

                outside++;
                equal += before[(y * at.Width) + x] == after[((at.Y + y) * result.Width) + at.X + x] ? 1 : 0;
            }
        }

        return (outside, equal);
    }

    private static double MeanAbsoluteErrorOutside(SKBitmap original, SKBitmap result, GrayImage mask)
    {
        var a = original.GetPixelSpan();
        var b = result.GetPixelSpan();
        long sum = 0, count = 0;
        for (var i = 0; i < mask.Pixels.Length; i++)
        {
            if (mask.Pixels[i] != 0)
            {
                continue;
            }

            for (var c = 0; c < 3; c++)
            {
                sum += Math.Abs(a[(i * 4) + c] - b[(i * 4) + c]);
            }

            count += 3;
        }

        return sum / (double)count;
    }
}
