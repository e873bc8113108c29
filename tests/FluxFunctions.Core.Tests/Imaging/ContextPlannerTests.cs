using FluxFunctions.Core.Pipeline;
using FluxFunctions.ImageRules;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Imaging;

public sealed class ContextPlannerTests
{
    private static readonly PixelSize WholeTarget = new(1152, 896);

    [Fact]
    public void Find_SeparateAndDiagonallyTouchingRects_OneBoxPerConnectedRegion()
    {
        var mask = Mask(400, 300, new PixelRect(10, 10, 20, 20), new PixelRect(30, 30, 5, 5), new PixelRect(200, 100, 50, 40));
        mask[300, 250] = 255;

        var regions = MaskRegions.Find(mask);

        // (10,10)–(29,29) and (30,30) touch at a corner: one region (8-connected).
        Assert.Equal([new PixelRect(10, 10, 25, 25), new PixelRect(200, 100, 50, 40), new PixelRect(300, 250, 1, 1)], regions);
    }

    [Fact]
    public void Find_UShape_IsOneRegion()
    {
        var mask = Mask(100, 100, new PixelRect(10, 10, 5, 60), new PixelRect(40, 10, 5, 60), new PixelRect(10, 65, 35, 5));

        Assert.Equal([new PixelRect(10, 10, 35, 60)], MaskRegions.Find(mask));
    }

    [Fact]
    public void Plan_SmallRegion_BoxIsMaskPlusDefaultMarginFittedToTheTargetsAspect()
    {
        var region = new PixelRect(1000, 600, 176, 136);
        var mask = Mask(2048, 1536, region);

        var plan = ContextPlanner.Plan(mask, ImageEdits.From(Spec()), WholeTarget, SizeRules.Default);

        var crop = Assert.Single(plan.Crops);
        Assert.Equal(region, crop.MaskBox);
        Assert.Equal(64, crop.Margin);
        Assert.True(crop.Box.Contains(region.Inflate(64)), $"{crop.Box}");
        Assert.True(SizeRules.Default.IsValid(crop.Target.Width) && SizeRules.Default.IsValid(crop.Target.Height));
        Assert.InRange(crop.Box.Width / (double)crop.Box.Height / crop.Target.Aspect, 0.99, 1.01);
        Assert.InRange(crop.Target.Pixels, WholeTarget.Pixels * 0.85, WholeTarget.Pixels * 1.15);
    }

    [Theory]
    [InlineData(null, 200)]
    [InlineData(0.5, 300)]
    [InlineData(40.0, 40)]
    public void Margin_DefaultFractionOrPixels(double? requested, int expected)
    {
        Assert.Equal(expected, ContextPlanner.Margin(new PixelRect(0, 0, 600, 100), requested));
    }

    [Fact]
    public void Plan_RegionInTheCorner_BoxStaysInsideTheImage()
    {
        var mask = Mask(2048, 1536, new PixelRect(0, 1400, 300, 136));

        var crop = Assert.Single(ContextPlanner.Plan(mask, ImageEdits.From(Spec()), WholeTarget, SizeRules.Default).Crops);

        Assert.True(new PixelRect(0, 0, 2048, 1536).Contains(crop.Box), $"{crop.Box}");
        Assert.True(crop.Box.Contains(crop.MaskBox));
        Assert.Equal(0, crop.Box.X);
        Assert.Equal(1536, crop.Box.Bottom);
    }

    [Fact]
    public void Plan_RegionsWhoseMarginsOverlap_MergedIntoOneCrop()
    {
        var mask = Mask(2048, 1536, new PixelRect(500, 500, 100, 100), new PixelRect(700, 520, 100, 100), new PixelRect(1800, 1300, 100, 100));

        var plan = ContextPlanner.Plan(mask, ImageEdits.From(Spec()), WholeTarget, SizeRules.Default);

        Assert.Equal(2, plan.Crops.Count);
        Assert.Equal(new PixelRect(500, 500, 300, 120), plan.Crops[0].MaskBox);
        Assert.Equal(new PixelRect(1800, 1300, 100, 100), plan.Crops[1].MaskBox);
        Assert.Contains("3 masked regions in 2 groups", plan.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ManyFarApartRegions_AtMostMaxCropsWithDisjointMaskBoxes()
    {
        var rects = new List<PixelRect>();
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                rects.Add(new PixelRect(60 + (i * 700), 60 + (j * 520), 20, 20));
            }
        }

        var plan = ContextPlanner.Plan(Mask(2048, 1536, [.. rects]), ImageEdits.From(Spec(ContextMode.Always)), WholeTarget, SizeRules.Default);

        Assert.InRange(plan.Crops.Count, 1, CropLimits.MaxCrops);
        foreach (var rect in rects)
        {
            Assert.Single(plan.Crops, c => c.MaskBox.Contains(rect));
        }

        for (var a = 0; a < plan.Crops.Count; a++)
        {
            for (var b = a + 1; b < plan.Crops.Count; b++)
            {
                Assert.False(plan.Crops[a].MaskBox.IntersectsWith(plan.Crops[b].MaskBox));
            }
        }
    }

    [Fact]
    public void Plan_StitchOff_SendsTheWholeImage()
    {
        var mask = Mask(2048, 1536, new PixelRect(1000, 600, 100, 100));

        var plan = ContextPlanner.Plan(mask, ImageEdits.From(Spec() with { Stitch = false }), WholeTarget, SizeRules.Default);

        Assert.False(plan.Decision.Cropped);
        Assert.Empty(plan.Crops);
    }

    private static EditSpec Spec(ContextMode mode = ContextMode.Auto) => Specs.Fill(context: mode);

    private static GrayImage Mask(int width, int height, params PixelRect[] rects)
    {
        var mask = new GrayImage(width, height);
        foreach (var r in rects)
        {
            for (var y = r.Y; y < r.Bottom; y++)
            {
                mask.Row(y).Slice(r.X, r.Width).Fill(255);
            }
        }

        return mask;
    }
}
