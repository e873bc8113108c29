using System.Globalization;
using FluxFunctions.ImageRules;

namespace FluxFunctions.Imaging;

/// <summary>
/// Crop-to-context for Fill ("zoomed inpainting"): decides whether to send only the parts of the image around the
/// mask, and plans those crops. Pure geometry over the shaped mask (after grow and feather).
/// </summary>
/// <remarks>
/// <para>The masked regions (8-connected) are grouped: regions whose boxes, each grown by its margin, overlap are merged,
/// until no two groups overlap; more than <see cref="CropLimits.MaxCrops"/> groups are merged pairwise (smallest added area first);
/// more than <see cref="MaxRegions"/> regions are treated as one group. Each group becomes one crop: its box grown by
/// the margin (default max(64 px, ⅓ of the box's longer side); <see cref="ContextCrop.Margin"/> ≥ 1 is pixels, below 1 a
/// fraction of the longer side), kept inside the image, widened or heightened to the aspect ratio of a Runware size
/// (multiples of 64 within <see cref="SizeRules"/>) with the pixel budget of the whole-image request (about 1 MP), so a
/// small region is enlarged and the model works at its full resolution.</para>
/// <para>Mode <c>auto</c> crops when the groups' boxes cover less than <see cref="AutoCoverageLimit"/> of the image;
/// <c>always</c> crops whatever the coverage; <c>off</c> never. Nothing is cropped when outpainting (the canvas grows),
/// without stitching (the crop could not be put back), or when a crop would be the whole image anyway.</para>
/// </remarks>
internal static class ContextPlanner
{
    /// <summary>Mode auto crops when the masked boxes cover less than this share of the image.</summary>
    public const double AutoCoverageLimit = 0.5;

    /// <summary>The default margin is at least this many pixels…</summary>
    public const int MinDefaultMargin = 64;

    /// <summary>…and at least this fraction of the masked box's longer side.</summary>
    public const double DefaultMarginFraction = 1.0 / 3;

    /// <summary>Beyond this many separate regions (specks, dotted masks) the mask is handled as one group.</summary>
    public const int MaxRegions = 64;

    /// <summary>Plans the crops for <paramref name="mask"/> (the shaped mask on the result canvas).</summary>
    /// <param name="mask">The mask as <see cref="FillMaskBuilder"/> built it (white = regenerate, feathered).</param>
    /// <param name="edit">The edit (context, outpaint, stitch).</param>
    /// <param name="wholeTarget">The size the whole image would be sent at: each crop gets the same pixel budget.</param>
    /// <param name="rules">Runware's sizes.</param>
    public static ContextPlan Plan(GrayImage mask, ImageEdit edit, PixelSize wholeTarget, SizeRules rules)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(rules);
        var mode = edit.Context.Mode;
        if (mode == ContextMode.Off)
        {
            return Whole(mode, "context.mode is off: the whole image is sent");
        }

        if (edit.Outpaint is not null)
        {
            return Whole(mode, "outpainting extends the canvas: the whole canvas is sent");
        }

        if (!edit.Stitch)
        {
            return Whole(mode, "stitch is off (the generated image is returned as it is): the whole image is sent");
        }

        var image = new PixelRect(0, 0, mask.Width, mask.Height);
        var regions = MaskRegions.Find(mask);
        if (regions.Count == 0)
        {
            return Whole(mode, "nothing is masked");
        }

        var groups = Group(regions, edit.Context.Margin);
        var coverage = groups.Sum(g => g.Size.Pixels) / (double)(mask.Width * (long)mask.Height);
        var described = string.Create(CultureInfo.InvariantCulture, $"{Count(regions.Count, "masked region")} in {Count(groups.Count, "group")} covering {coverage:P1} of the image");
        if (mode == ContextMode.Auto && coverage >= AutoCoverageLimit)
        {
            return Whole(mode, string.Create(CultureInfo.InvariantCulture, $"{described} (≥ {AutoCoverageLimit:P0}): the whole image is sent"));
        }

        var budget = rules with { TargetPixels = (int)Math.Min(int.MaxValue, wholeTarget.Pixels) };
        var crops = new List<CropPlan>(groups.Count);
        foreach (var group in groups)
        {
            var margin = Margin(group, edit.Context.Margin);
            var (box, target) = Fit(group.Inflate(margin).Intersect(image), image, budget);
            if (box == image)
            {
                return Whole(mode, $"{described}: with its context a crop would be the whole image, which is sent");
            }

            crops.Add(new CropPlan(box, group, target, margin));
        }

        return new ContextPlan(
            new ContextDecision(mode, Cropped: true, $"{described}: {Count(crops.Count, "crop")} sent, each around its masked area with context"),
            crops);
    }

    /// <summary>
    /// Per-region prompts: one crop per region mask, whatever the coverage and however close the regions are (each has
    /// its own prompt, so they are never merged): the region's box grown by the margin and fitted to a Runware size like
    /// any crop. A crop may be the whole image.
    /// </summary>
    /// <param name="regions">Each region's shaped mask on the canvas, none empty.</param>
    public static ContextPlan PlanRegions(IReadOnlyList<GrayImage> regions, ImageEdit edit, PixelSize wholeTarget, SizeRules rules)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(rules);
        var budget = rules with { TargetPixels = (int)Math.Min(int.MaxValue, wholeTarget.Pixels) };
        var crops = new List<CropPlan>(regions.Count);
        foreach (var mask in regions)
        {
            var image = new PixelRect(0, 0, mask.Width, mask.Height);
            var box = MaskShaper.BoundingBox(mask) ?? throw new ArgumentException("A region mask is empty.", nameof(regions));
            var margin = Margin(box, edit.Context.Margin);
            var (cropBox, target) = Fit(box.Inflate(margin).Intersect(image), image, budget);
            crops.Add(new CropPlan(cropBox, box, target, margin));
        }

        return new ContextPlan(
            new ContextDecision(edit.Context.Mode, Cropped: true, $"{Count(regions.Count, "region")} with {(regions.Count == 1 ? "its" : "their")} own prompts: {Count(crops.Count, "crop")} sent, one per region, each around its masked area with context"),
            crops);
    }

    /// <summary>The margin of a group: pixels when ≥ 1, a fraction of the longer side below 1, default max(64, ⅓ of it).</summary>
    public static int Margin(PixelRect box, double? requested)
    {
        var longer = Math.Max(box.Width, box.Height);
        return requested switch
        {
            null => Math.Max(MinDefaultMargin, (int)Math.Ceiling(longer * DefaultMarginFraction)),
            >= 1 => (int)Math.Round(requested.Value),
            _ => Math.Max(1, (int)Math.Ceiling(longer * requested.Value)),
        };
    }

    /// <summary>Groups regions whose margin-grown boxes overlap, then merges down to <see cref="CropLimits.MaxCrops"/>.</summary>
    private static List<PixelRect> Group(IReadOnlyList<PixelRect> regions, double? margin)
    {
        if (regions.Count > MaxRegions)
        {
            return [regions.Aggregate((a, b) => a.Union(b))];
        }

        var groups = regions.ToList();
        MergeOverlapping(groups, margin);
        while (groups.Count > CropLimits.MaxCrops)
        {
            // The pair whose union adds the least area, then whatever the larger box now overlaps.
            var (bestI, bestJ, bestCost) = (0, 1, long.MaxValue);
            for (var i = 0; i < groups.Count; i++)
            {
                for (var j = i + 1; j < groups.Count; j++)
                {
                    var cost = groups[i].Union(groups[j]).Size.Pixels - groups[i].Size.Pixels - groups[j].Size.Pixels;
                    if (cost < bestCost)
                    {
                        (bestI, bestJ, bestCost) = (i, j, cost);
                    }
                }
            }

            groups[bestI] = groups[bestI].Union(groups[bestJ]);
            groups.RemoveAt(bestJ);
            MergeOverlapping(groups, margin);
        }

        return groups.OrderBy(g => g.Y).ThenBy(g => g.X).ToList();
    }

    private static void MergeOverlapping(List<PixelRect> groups, double? margin)
    {
        for (var merged = true; merged;)
        {
            merged = false;
            for (var i = 0; i < groups.Count && !merged; i++)
            {
                for (var j = i + 1; j < groups.Count; j++)
                {
                    if (groups[i].Inflate(Margin(groups[i], margin)).IntersectsWith(groups[j].Inflate(Margin(groups[j], margin))))
                    {
                        groups[i] = groups[i].Union(groups[j]);
                        groups.RemoveAt(j);
                        merged = true;
                        break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The Runware size for a box (its aspect at the budget's pixel count) and the box widened or heightened to that
    /// size's aspect ratio, centred on the original box and kept inside the image (shifted at the edges).
    /// </summary>
    private static (PixelRect Box, PixelSize Target) Fit(PixelRect box, PixelRect image, SizeRules rules)
    {
        var target = Plan(box, rules);
        var aspect = target.Aspect;
        var fitted = box.Width / (double)box.Height < aspect
            ? Widen(box, (int)Math.Round(box.Height * aspect), image)
            : Heighten(box, (int)Math.Round(box.Width / aspect), image);

        // Against an image edge the box could not take the whole aspect: choose the size again for the box it became.
        return (fitted, Math.Abs(Math.Log(fitted.Width / (double)fitted.Height / aspect)) > 0.01 ? Plan(fitted, rules) : target);
    }

    private static PixelSize Plan(PixelRect box, SizeRules rules)
    {
        var (w, h) = SizePlanner.Plan(box.Width, box.Height, null, null, rules);
        return new PixelSize(w, h);
    }

    private static PixelRect Widen(PixelRect box, int width, PixelRect image)
    {
        width = Math.Min(width, image.Width);
        var x = Math.Clamp(box.X - ((width - box.Width) / 2), 0, image.Width - width);
        return box with { X = x, Width = width };
    }

    private static PixelRect Heighten(PixelRect box, int height, PixelRect image)
    {
        height = Math.Min(height, image.Height);
        var y = Math.Clamp(box.Y - ((height - box.Height) / 2), 0, image.Height - height);
        return box with { Y = y, Height = height };
    }

    private static ContextPlan Whole(ContextMode mode, string reason) => new(new ContextDecision(mode, Cropped: false, reason), []);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n} {noun}s");
}

/// <summary>What crop-to-context decided for a Fill job (recorded in the manifest).</summary>
/// <param name="Mode">The requested mode: auto, off or always.</param>
/// <param name="Cropped">True when crops around the mask were sent instead of the whole image.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ContextDecision(ContextMode Mode, bool Cropped, string Reason);

/// <summary>The crops <see cref="ContextPlanner"/> chose (none: send the whole image).</summary>
internal sealed record ContextPlan(ContextDecision Decision, IReadOnlyList<CropPlan> Crops);

/// <summary>One crop: the box cut from the image, the masked area it owns, the Runware size it is sent at, its margin.</summary>
internal sealed record CropPlan(PixelRect Box, PixelRect MaskBox, PixelSize Target, int Margin);
