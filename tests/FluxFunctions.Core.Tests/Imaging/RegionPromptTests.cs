using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>Per-region prompts from preparation to stitch: one crop per colour of the mask, each with its own mask, one result.</summary>
public sealed class RegionPromptTests
{
    private const int Width = 1600;
    private const int Height = 1200;

    private static readonly (SKRectI Rect, SKColor Color)[] Three =
    [
        (new SKRectI(100, 100, 260, 220), new SKColor(255, 0, 0)),
        (new SKRectI(1200, 150, 1400, 300), new SKColor(0, 255, 0)),
        (new SKRectI(700, 850, 900, 1000), new SKColor(0, 0, 255)),
    ];

    private static readonly Lazy<byte[]> PhotoPng = new(() =>
    {
        using var photo = TestImages.PhotoLike(Width, Height, 23);
        return TestFiles.Png(photo);
    });

    private static EditSpec Spec(int feather = 8) => Specs.Fill(feather: feather) with
    {
        Regions = [new RegionSpec("#ff0000", "a red rose bush"), new RegionSpec("#00ff00", null), new RegionSpec("#0000ff", "a blue pond")],
    };

    [Fact]
    public void Prepare_ThreeColouredRegions_OneCropPerRegionEachMaskingOnlyItsOwnRegion()
    {
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Spec()), PhotoPng.Value) { Mask = ColorMaskPng(Three) });

        Assert.True(prepared.Context!.Cropped);
        Assert.Equal(3, prepared.Crops.Count);
        for (var i = 0; i < 3; i++)
        {
            var crop = prepared.Crops[i];
            var rect = Three[i].Rect;
            Assert.Equal(i, crop.Placement.RegionIndex);
            Assert.True(crop.Placement.Region.Contains(new PixelRect(rect.Left, rect.Top, rect.Width, rect.Height)), $"{crop.Placement.Region}");
            Assert.True(crop.Placement.Owned!.Value.Contains(new PixelRect(rect.Left, rect.Top, rect.Width, rect.Height)));

            // The crop's mask is white over its own region only (grown by the 8 px feather at most).
            var mask = TestImages.DecodeRaw(crop.Mask.Bytes.ToArray());
            var p = crop.Placement;
            int X(int x) => (int)((x - p.Region.X) * p.ScaleX);
            int Y(int y) => (int)((y - p.Region.Y) * p.ScaleY);
            Assert.Equal(255, mask.GetPixel(X(rect.MidX), Y(rect.MidY)).Red);
            foreach (var other in Three.Where((_, k) => k != i).Select(t => t.Rect))
            {
                var cx = X(other.MidX);
                var cy = Y(other.MidY);
                if (cx >= 0 && cy >= 0 && cx < mask.Width && cy < mask.Height)
                {
                    Assert.Equal(0, mask.GetPixel(cx, cy).Red);
                }
            }
        }
    }

    [Fact]
    public void Finish_ThreeRegions_OneImageWithEveryPixelOutsideTheThreeMasksExact()
    {
        var spec = Spec();
        var mask = ColorMaskPng(Three);
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(spec), PhotoPng.Value) { Mask = mask });
        var crops = prepared.Crops.Select(c => new GeneratedCrop(c.Placement, Solid(c.Seed.Size, new SKColor(250, 240, 10)))).ToList();

        var finished = ResultFinisher.Finish(new FinishRequest(ImageEdits.From(spec), crops[0].Generated) { Original = PhotoPng.Value, Mask = mask, Placement = crops[0].Placement, Crops = crops });

        Assert.Equal((Width, Height), (finished.Width, finished.Height));
        using var photo = TestImages.DecodeRaw(PhotoPng.Value);
        using var result = TestImages.DecodeRaw(finished.Bytes.ToArray());
        var regions = FillMaskBuilder.BuildRegions(mask, ImageEdits.From(spec), prepared.Placement!, ImageLimits.Default, new FillMaskBuilder.Notes());
        var before = TestImages.PixelsOf(photo);
        var after = TestImages.PixelsOf(result);
        long outside = 0, equal = 0;
        for (var i = 0; i < before.Length; i++)
        {
            if (regions.All(r => r.Pixels[i] == 0))
            {
                outside++;
                equal += before[i] == after[i] ? 1 : 0;
            }
        }

        Assert.Equal(outside, equal);
        Assert.Equal(outside, finished.Stitch!.Kept);
        foreach (var (rect, _) in Three)
        {
            Assert.NotEqual(photo.GetPixel(rect.MidX, rect.MidY), result.GetPixel(rect.MidX, rect.MidY));
        }
    }

    [Fact]
    public void Prepare_RegionMaskOfAnotherSize_IsRefusedSayingItMustBeTheImagesSize()
    {
        using var half = TestImages.ColorMask(Width / 2, Height / 2, (new SKRectI(10, 10, 60, 60), new SKColor(255, 0, 0)));

        var ex = Assert.Throws<PermanentFluxException>(() => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Spec()), PhotoPng.Value) { Mask = TestFiles.Png(half) }));

        Assert.Equal(ErrorCodes.MaskAspectMismatch, ex.First.Code);
        Assert.Equal("The region mask is 800×600 but the image is 1600×1200: with 'regions' the colour-coded mask must have exactly the image's size (its colours are read pixel by pixel, and resizing would blend them).", ex.First.Message);
    }

    [Fact]
    public void Prepare_ARegionColourPaintedNowhere_IsAnEmptyRegionNamingIt()
    {
        var ex = Assert.Throws<PermanentFluxException>(() => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Spec()), PhotoPng.Value) { Mask = ColorMaskPng(Three[0], Three[2]) }));

        Assert.Equal(ErrorCodes.EmptyMask, ex.First.Code);
        Assert.Equal("regions", ex.First.Parameter);
        Assert.StartsWith("regions[1] (#00ff00) is painted on no pixel of the mask", ex.First.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_JpegNoiseAndAStrayColour_NearestColourWinsAndTheStrayIsKeptWithAWarning()
    {
        using var bitmap = TestImages.ColorMask(Width, Height, [.. Three, (new SKRectI(500, 500, 520, 520), new SKColor(255, 255, 255))]);
        var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Spec(feather: 0)), PhotoPng.Value) { Mask = TestFiles.Jpeg(bitmap, 70) });

        Assert.Equal(3, prepared.Crops.Count);
        Assert.Contains(prepared.Warnings, w => w.Contains("none of the region colours nor black", StringComparison.Ordinal));
    }

    private static byte[] ColorMaskPng(params (SKRectI Rect, SKColor Color)[] regions)
    {
        using var bitmap = TestImages.ColorMask(Width, Height, regions);
        return TestFiles.Png(bitmap);
    }

    private static byte[] Solid(PixelSize size, SKColor color)
    {
        using var bitmap = TestImages.Solid(size.Width, size.Height, color);
        return TestFiles.Png(bitmap);
    }
}
