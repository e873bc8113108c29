using System.Globalization;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.ImageRules;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>Crop-to-context from preparation to stitch: what is sent, and that the result is one image at the original's size.</summary>
public sealed class CropToContextTests
{
    private static readonly SKRectI SmallMask = new(1200, 700, 1360, 820);

    private static readonly Lazy<byte[]> LargePhotoPng = new(() =>
    {
        using var photo = TestImages.PhotoLike(2048, 1536, 31);
        return TestFiles.Png(photo);
    });

    [Fact]
    public void Prepare_SmallMaskOnLargePhoto_SendsACropAroundTheMaskEnlargedToAValidSize()
    {
        var (photo, original, mask) = LargePhotoWith(SmallMask);
        using var _ = photo;

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill()), original) { Mask = mask });

        Assert.True(prepared.Context!.Cropped);
        var crop = Assert.Single(prepared.Crops);
        var box = crop.Placement.Region;
        var rules = SizeRules.Default;
        Assert.True(box.Contains(new PixelRect(SmallMask.Left, SmallMask.Top, SmallMask.Width, SmallMask.Height)), $"{box}");
        Assert.True(box.Size.Pixels < 2048L * 1536 / 10, $"The crop {box} is not small.");
        Assert.True(rules.IsValid(crop.Seed.Width) && rules.IsValid(crop.Seed.Height), $"{crop.Seed.Size}");
        Assert.True(crop.Seed.Width > SmallMask.Width * 2 && crop.Seed.Height > SmallMask.Height * 2, $"{crop.Seed.Size}");
        Assert.InRange(crop.Seed.Size.Pixels, 800_000, 1_200_000);
        Assert.Equal(crop.Seed.Size, crop.Mask.Size);
        Assert.InRange(crop.Placement.ScaleX / crop.Placement.ScaleY, 0.98, 1.02);
        Assert.True(crop.Placement.ScaleX > 2.5, $"scale {crop.Placement.ScaleX}");
        Assert.Equal(prepared.Image, crop.Seed);
        Assert.Equal(prepared.Placement, crop.Placement);
        Assert.Equal(64, crop.Margin);

        // The seed is that part of the photo: its centre pixel is the photo's at the crop box's centre.
        using var seed = TestImages.DecodeRaw(crop.Seed.Bytes.ToArray());
        var expected = photo.GetPixel(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        var sent = seed.GetPixel(seed.Width / 2, seed.Height / 2);
        Assert.True(Math.Abs(expected.Red - sent.Red) + Math.Abs(expected.Green - sent.Green) + Math.Abs(expected.Blue - sent.Blue) < 60, $"{expected} vs {sent}");

        // The mask is white where the user's rectangle falls in the crop, black at the crop's corner.
        var sentMask = FillMaskTests.DecodeMask(prepared);
        var cx = (int)((SmallMask.MidX - box.X) * crop.Placement.ScaleX);
        var cy = (int)((SmallMask.MidY - box.Y) * crop.Placement.ScaleY);
        Assert.Equal(255, sentMask[cx, cy]);
        Assert.Equal(0, sentMask[2, 2]);
        TestFigures.Report(
            "crop-to-context 2048x1536 photo, 160x120 mask",
            string.Create(CultureInfo.InvariantCulture, $"crop {box.Width}x{box.Height} sent at {crop.Seed.Width}x{crop.Seed.Height} (x{crop.Placement.ScaleX:0.00}); whole image would be sent at {SizePlannerSize(2048, 1536)}"));
    }

    [Fact]
    public void Finish_CroppedFill_OneResultAtTheOriginalSizeWithEveryPixelOutsideTheMaskExact()
    {
        var (photo, original, mask) = LargePhotoWith(SmallMask);
        using var _ = photo;
        var spec = Specs.Fill();
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), original) { Mask = mask });
        var crop = Assert.Single(prepared.Crops);

        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), Gradient(crop.Seed.Size)) { Original = original, Mask = mask, Placement = prepared.Placement });

        Assert.Equal((2048, 1536), (finished.Width, finished.Height));
        using var result = TestImages.DecodeRaw(finished.Bytes.ToArray());
        var stitchMask = FillMaskBuilder.Build(mask, ImageEdits.From(spec), prepared.Placement!, ImageLimits.Default, new FillMaskBuilder.Notes());
        var (outside, equal) = CompareOutside(photo, result, stitchMask);
        TestFigures.ReportPercent("stitch exactness crop-to-context 2048x1536 PNG (outside-mask pixels equal to the original)", equal / (double)outside, detail: $"{equal} of {outside}");
        Assert.Equal(outside, equal);
        Assert.Equal(outside, finished.Stitch!.Kept);
        Assert.NotEqual(photo.GetPixel(SmallMask.MidX, SmallMask.MidY), result.GetPixel(SmallMask.MidX, SmallMask.MidY));
        Assert.True(finished.Stitch.Generated >= 160L * 120);
    }

    [Fact]
    public void PrepareAndFinish_TwoFarApartRegions_TwoCropsStitchedIntoOneResult()
    {
        var left = new SKRectI(100, 150, 260, 270);
        var right = new SKRectI(1700, 1200, 1860, 1320);
        var (photo, original, mask) = LargePhotoWith(left, right);
        using var _ = photo;
        var spec = Specs.Fill();

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), original) { Mask = mask });

        Assert.Equal(2, prepared.Crops.Count);
        Assert.Equal([0, 1], prepared.Crops.Select(c => c.Index));
        Assert.False(prepared.Crops[0].Placement.Region.IntersectsWith(prepared.Crops[1].Placement.Region));
        Assert.True(prepared.Crops[0].Placement.Owned!.Value.Contains(new PixelRect(left.Left, left.Top, left.Width, left.Height)));
        Assert.True(prepared.Crops[1].Placement.Owned!.Value.Contains(new PixelRect(right.Left, right.Top, right.Width, right.Height)));

        // Each crop's mask holds only its own region.
        foreach (var crop in prepared.Crops)
        {
            using var sentMask = TestImages.DecodeRaw(crop.Mask.Bytes.ToArray());
            var white = TestImages.PixelsOf(sentMask).Count(p => (p & 0xFF) == 255);
            Assert.InRange(white / (crop.Placement.ScaleX * crop.Placement.ScaleY), 160 * 120 * 0.95, 180 * 140);
        }

        var crops = prepared.Crops.Select((c, i) => new GeneratedCrop(c.Placement, Gradient(c.Seed.Size, flip: i == 1))).ToList();
        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), crops[0].Generated) { Original = original, Mask = mask, Crops = crops });

        Assert.Equal((2048, 1536), (finished.Width, finished.Height));
        using var result = TestImages.DecodeRaw(finished.Bytes.ToArray());
        var stitchMask = FillMaskBuilder.Build(mask, ImageEdits.From(spec), prepared.Placement!, ImageLimits.Default, new FillMaskBuilder.Notes());
        var (outside, equal) = CompareOutside(photo, result, stitchMask);
        Assert.Equal(outside, equal);
        Assert.NotEqual(photo.GetPixel(left.MidX, left.MidY), result.GetPixel(left.MidX, left.MidY));
        Assert.NotEqual(photo.GetPixel(right.MidX, right.MidY), result.GetPixel(right.MidX, right.MidY));
        Assert.Equal(2, finished.ColorMatch.Count);
    }

    [Theory]
    [InlineData(ContextMode.Off, false)]
    [InlineData(ContextMode.Auto, true)]
    [InlineData(ContextMode.Always, true)]
    public void Prepare_ContextMode_CropsOrSendsTheWholeImage(ContextMode mode, bool cropped)
    {
        var (photo, original, mask) = LargePhotoWith(SmallMask);
        using var _ = photo;

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill(context: mode)), original) { Mask = mask });

        Assert.Equal(cropped, prepared.Context!.Cropped);
        var crop = Assert.Single(prepared.Crops);
        Assert.Equal(cropped, crop.Placement.IsCrop);
        if (!cropped)
        {
            Assert.Equal(new PixelRect(0, 0, 2048, 1536), crop.Placement.Region);
            var (w, h) = SizePlanner.Plan(2048, 1536, null, null);
            Assert.Equal(new PixelSize(w, h), crop.Seed.Size);
        }
    }

    [Fact]
    public void Prepare_LargeMask_AutoSendsTheWholeImageAlwaysCrops()
    {
        var large = new SKRectI(200, 200, 1800, 1300);
        var (photo, original, mask) = LargePhotoWith(large);
        using var _ = photo;

        var auto = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill()), original) { Mask = mask });
        var always = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill(context: ContextMode.Always, margin: 32)), original) { Mask = mask });

        Assert.False(auto.Context!.Cropped);
        Assert.Contains("the whole image is sent", auto.Context.Reason, StringComparison.Ordinal);
        Assert.True(always.Context!.Cropped);
        var crop = Assert.Single(always.Crops);
        Assert.True(crop.Placement.Region.Size.Pixels < 2048L * 1536);
        Assert.Equal(32, crop.Margin);
    }

    [Fact]
    public void Prepare_Outpaint_NeverCrops()
    {
        var (photo, original, mask) = LargePhotoWith(SmallMask);
        using var _ = photo;
        var spec = Specs.Fill(outpaint: new OutpaintSpec(0, 512, 0, 0, 8), context: ContextMode.Always);

        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), original) { Mask = mask });

        Assert.False(prepared.Context!.Cropped);
        Assert.Contains("outpaint", prepared.Context.Reason, StringComparison.Ordinal);
        Assert.False(Assert.Single(prepared.Crops).Placement.IsCrop);
        Assert.Equal(new PixelSize(2560, 1536), prepared.Placement!.Canvas);
    }

    [Fact]
    public void Finish_TintedGeneration_ColorMatchLowersTheSeamDifference()
    {
        var (photo, original, mask) = LargePhotoWith(SmallMask);
        using var _ = photo;
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill()), original) { Mask = mask });
        var crop = Assert.Single(prepared.Crops);

        // A model that reproduced the crop faithfully but drifted: warmer, darker, lower contrast (a VAE round trip).
        var generated = Tinted(crop.Seed.Bytes.ToArray());

        var (plain, plainReport) = Stitch(Specs.Fill(colorMatch: false), original, mask, prepared, generated);
        var (matched, matchedReport) = Stitch(Specs.Fill(), original, mask, prepared, generated);
        using (plain)
        using (matched)
        {
            var before = Seams.Difference(photo, plain, SmallMask, band: 8);
            var after = Seams.Difference(photo, matched, SmallMask, band: 8);
            var insideBefore = Seams.MeanDifferenceInside(photo, plain, SmallMask);
            var insideAfter = Seams.MeanDifferenceInside(photo, matched, SmallMask);
            TestFigures.Report(
                "colour match, tinted generation (R+14 G-4 B-12, contrast x0.9), 2048x1536 crop: mean seam difference (8 px feathered band, levels)",
                string.Create(CultureInfo.InvariantCulture, $"{before.Mean:0.00} without → {after.Mean:0.00} with colour match ({before.Pixels} px); inside the mask {insideBefore:0.00} → {insideAfter:0.00}"));
            Assert.True(after.Mean < before.Mean / 2, $"seam {before.Mean} → {after.Mean}");
            Assert.True(insideAfter < insideBefore / 2, $"inside {insideBefore} → {insideAfter}");
        }

        Assert.False(Assert.Single(plainReport).Ran);
        var report = Assert.Single(matchedReport);
        Assert.True(report.Ran);
        Assert.True(report.RingPixels > 1000);
        Assert.True(report.RingDifferenceAfter < report.RingDifferenceBefore / 2);
        Assert.InRange(report.Y!.Gain, 1.05, 1.2);
    }

    [Fact]
    public void Finish_FaithfulGeneration_ColorMatchChangesLittle()
    {
        var (photo, original, mask) = LargePhotoWith(SmallMask);
        using var _ = photo;
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Specs.Fill()), original) { Mask = mask });

        // A model that gave the seed back unchanged: there is no drift to undo.
        var generated = prepared.Image.Bytes.ToArray();
        var (plain, _) = Stitch(Specs.Fill(colorMatch: false), original, mask, prepared, generated);
        var (matched, reports) = Stitch(Specs.Fill(), original, mask, prepared, generated);
        using (plain)
        using (matched)
        {
            var before = Seams.Difference(photo, plain, SmallMask, band: 8);
            var after = Seams.Difference(photo, matched, SmallMask, band: 8);
            var insideBefore = Seams.MeanDifferenceInside(photo, plain, SmallMask);
            var insideAfter = Seams.MeanDifferenceInside(photo, matched, SmallMask);
            var report = Assert.Single(reports);
            TestFigures.Report(
                "colour match, faithful generation (the seed returned), 2048x1536 crop: mean seam difference (levels)",
                string.Create(CultureInfo.InvariantCulture, $"{before.Mean:0.00} without → {after.Mean:0.00} with; inside the mask {insideBefore:0.00} → {insideAfter:0.00}; luma gain {report.Y!.Gain:0.000}, offsets Y {report.Y.Offset:0.00} Cb {report.Cb!.Offset:0.00} Cr {report.Cr!.Offset:0.00}"));
            Assert.True(after.Mean < before.Mean + 0.2, $"seam {before.Mean} → {after.Mean}");
            Assert.True(insideAfter < insideBefore + 0.3, $"inside {insideBefore} → {insideAfter}");
        }
    }

    [Fact]
    public void Finish_ColorMatch_NeverChangesAPixelOutsideTheMask()
    {
        var (photo, original, mask) = LargePhotoWith(SmallMask);
        using var _ = photo;
        var spec = Specs.Fill(grow: 3, feather: 12);
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), original) { Mask = mask });

        var (result, reports) = Stitch(spec, original, mask, prepared, Tinted(prepared.Image.Bytes.ToArray()));

        using (result)
        {
            var stitchMask = FillMaskBuilder.Build(mask, ImageEdits.From(spec), prepared.Placement!, ImageLimits.Default, new FillMaskBuilder.Notes());
            var (outside, equal) = CompareOutside(photo, result, stitchMask);
            Assert.Equal(outside, equal);
        }

        Assert.True(Assert.Single(reports).Ran);
    }

    /// <summary>The 2048×1536 photo (decoded from its PNG, made once: encoding 3 MP takes a moment), its PNG and a mask.</summary>
    internal static (SKBitmap Photo, byte[] Png, byte[] Mask) LargePhotoWith(params SKRectI[] masked)
    {
        var png = LargePhotoPng.Value;
        using var maskBitmap = TestImages.Mask(2048, 1536, masked);
        return (TestImages.DecodeRaw(png), png, TestFiles.Png(maskBitmap));
    }

    private static (SKBitmap Result, IReadOnlyList<ColorMatchReport> Reports) Stitch(EditSpec spec, byte[] original, byte[] mask, PreparedImages prepared, byte[] generated)
    {
        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), generated) { Original = original, Mask = mask, Placement = prepared.Placement });
        return (TestImages.DecodeRaw(finished.Bytes.ToArray()), finished.ColorMatch);
    }

    /// <summary>The image with a colour drift: R +14, G −4, B −12 and contrast ×0.9 around mid-grey.</summary>
    internal static byte[] Tinted(byte[] encoded)
    {
        using var bitmap = TestImages.DecodeRaw(encoded);
        var pixels = bitmap.GetPixelSpan();
        int[] shift = [14, -4, -12];
        for (var i = 0; i < pixels.Length; i += 4)
        {
            for (var c = 0; c < 3; c++)
            {
                pixels[i + c] = (byte)Math.Clamp((int)Math.Round(128 + ((pixels[i + c] - 128) * 0.9) + shift[c]), 0, 255);
            }
        }

        return TestFiles.Png(bitmap);
    }

    private static byte[] Gradient(PixelSize size, bool flip = false)
    {
        using var bitmap = flip
            ? TestImages.Gradient(size.Width, size.Height, new SKColor(0, 255, 255), new SKColor(255, 0, 255))
            : TestImages.Gradient(size.Width, size.Height, new SKColor(255, 0, 255), new SKColor(0, 255, 255));
        return TestFiles.Png(bitmap);
    }

    private static string SizePlannerSize(int w, int h)
    {
        var (tw, th) = SizePlanner.Plan(w, h, null, null);
        return $"{tw}x{th}";
    }

    /// <summary>Among pixels where the stitch mask is 0: how many, and how many equal the original.</summary>
    private static (long Outside, long Equal) CompareOutside(SKBitmap original, SKBitmap result, GrayImage mask)
    {
        var before = TestImages.PixelsOf(original);
        var after = TestImages.PixelsOf(result);
        long outside = 0, equal = 0;
        for (var i = 0; i < before.Length; i++)
        {
            if (mask.Pixels[i] == 0)
            {
                outside++;
                equal += before[i] == after[i] ? 1 : 0;
            }
        }

        return (outside, equal);
    }
}
