using System.Globalization;
using FluxFunctions.Errors;

namespace FluxFunctions.Imaging;

/// <summary>
/// Builds a Fill job's mask on the result canvas, at the original image's scale (white = regenerate). The same code
/// runs when preparing (the mask sent to Runware is this one scaled to the sent size) and when stitching the result
/// back, so both always agree.
/// </summary>
/// <remarks>
/// The user's mask may have any size and format. Its value is the alpha channel when that varies (a mask painted on
/// a transparent layer: opaque = regenerate, whatever the paint colour), otherwise its luminance (white =
/// regenerate). Its aspect ratio must match the image's within 1 % (or one pixel); it is then resized to the image,
/// binarised at 50 %, grown by <see cref="ImageEdit.MaskGrow"/> px and feathered by <see cref="ImageEdit.MaskFeather"/>
/// px outward (<see cref="MaskShaper"/>). When outpainting, the padding is 255 and the mask fades into the original
/// over <see cref="OutpaintPadding.Blur"/> px.
/// </remarks>
internal static class FillMaskBuilder
{
    public const double AspectTolerance = 0.01;

    /// <summary>What building the mask found, for the preparation report.</summary>
    public sealed class Notes
    {
        public List<string> Steps { get; } = [];

        public List<string> Warnings { get; } = [];

        /// <summary>Share of the original covered by the user's binarised mask (before grow and feather).</summary>
        public double? Coverage { get; set; }
    }

    /// <exception cref="PermanentFluxException">Any image error for the mask, maskAspectMismatch, emptyMask.</exception>
    public static GrayImage Build(ReadOnlyMemory<byte>? maskFile, ImageEdit edit, FillPlacement placement, ImageLimits limits, Notes notes)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(notes);
        if (edit.Regions.Count > 0 && maskFile is { } regionFile)
        {
            return Union(BuildRegions(regionFile, edit, placement, limits, notes), placement);
        }

        var canvas = new GrayImage(placement.CanvasWidth, placement.CanvasHeight);
        var original = placement.Original;

        if (maskFile is { } file)
        {
            var shaped = UserMask(file, edit, original.Size, limits, notes);
            if (shaped is not null)
            {
                for (var y = 0; y < original.Height; y++)
                {
                    shaped.Row(y).CopyTo(canvas.Row(original.Y + y).Slice(original.X, original.Width));
                }
            }
        }

        if (placement.IsOutpaint)
        {
            Pad(canvas, original, edit.Outpaint?.Blur ?? 0);
            notes.Steps.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"outpaint mask: padding {original.X}/{placement.CanvasWidth - original.Right}/{original.Y}/{placement.CanvasHeight - original.Bottom} px (left/right/top/bottom) white, fading {edit.Outpaint?.Blur ?? 0} px into the original"));
        }

        return canvas;
    }

    /// <summary>
    /// Per-region prompts: one shaped mask on the canvas per region of <see cref="ImageEdit.Regions"/>, in their order.
    /// The mask file is colour-coded and must have the image's size exactly (colours are read pixel by pixel, not
    /// resized): each pixel belongs to the nearest of black ("keep") and the region colours, a transparent pixel
    /// (alpha below 50 %) to black. Pixels far from all of them (another colour) are kept, with a warning. Each region
    /// is then grown and feathered on its own, so the feathered edges of two touching regions may overlap.
    /// </summary>
    /// <exception cref="PermanentFluxException">Any image error for the mask, maskAspectMismatch (not the image's size), emptyMask (a region no pixel is painted in).</exception>
    public static IReadOnlyList<GrayImage> BuildRegions(ReadOnlyMemory<byte> maskFile, ImageEdit edit, FillPlacement placement, ImageLimits limits, Notes notes)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(notes);
        var image = placement.Original.Size;
        using var decoded = ImageDecoder.Decode(maskFile.Span, limits, "mask");
        var size = new PixelSize(decoded.Width, decoded.Height);
        if (size != image)
        {
            throw new PermanentFluxException(new FluxError(
                ErrorCodes.MaskAspectMismatch,
                $"The region mask is {size} but the image is {image}: with 'regions' the colour-coded mask must have exactly the image's size (its colours are read pixel by pixel, and resizing would blend them).",
                "mask"));
        }

        var colours = edit.Regions.Select(r => r.Rgb).ToArray();
        var planes = colours.Select(_ => new GrayImage(image.Width, image.Height)).ToArray();
        var counts = new long[colours.Length];
        long stray = 0;
        var pixels = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(decoded.Bitmap.GetPixelSpan());
        var farthest = (long)edit.RegionColorDistance * edit.RegionColorDistance;
        for (var i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            if (p >> 24 < 128)
            {
                continue;
            }

            int r = (int)(p & 0xFF), g = (int)((p >> 8) & 0xFF), b = (int)((p >> 16) & 0xFF);
            var best = -1;
            var bestDistance = (long)(r * r) + (g * g) + (b * b);
            for (var k = 0; k < colours.Length; k++)
            {
                var (cr, cg, cb) = colours[k];
                long d = ((r - cr) * (r - cr)) + ((g - cg) * (g - cg)) + ((b - cb) * (b - cb));
                if (d < bestDistance)
                {
                    (best, bestDistance) = (k, d);
                }
            }

            if (best < 0)
            {
                continue;
            }

            if (bestDistance > farthest)
            {
                stray++;
                continue;
            }

            planes[best].Pixels[i] = 255;
            counts[best]++;
        }

        notes.Steps.Add($"mask: {decoded.Info.Format.Name()} {size}, colour-coded: {string.Join(", ", edit.Regions.Select((r, k) => string.Create(CultureInfo.InvariantCulture, $"region {k} {r.Color} {counts[k] / (double)image.Pixels:P1}")))}");
        notes.Coverage = counts.Sum() / (double)image.Pixels;
        if (stray > 0)
        {
            notes.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{stray} mask pixels ({stray / (double)image.Pixels:P2} of the image) are none of the region colours nor black; they are kept, not regenerated."));
        }

        var empty = Enumerable.Range(0, colours.Length).Where(k => counts[k] == 0).ToList();
        if (empty.Count > 0)
        {
            var which = string.Join(", ", empty.Select(k => $"regions[{k}] ({edit.Regions[k].Color})"));
            throw new PermanentFluxException(new FluxError(
                ErrorCodes.EmptyMask,
                $"{which} {(empty.Count == 1 ? "is" : "are")} painted on no pixel of the mask: paint each region in its colour (exactly, in a PNG), or remove the region.",
                "regions"));
        }

        if (edit.MaskGrow > 0 || edit.MaskFeather > 0)
        {
            notes.Steps.Add(string.Create(CultureInfo.InvariantCulture, $"each region grown by {edit.MaskGrow} px and feathered over {edit.MaskFeather} px outward"));
        }

        var result = new GrayImage[planes.Length];
        for (var k = 0; k < planes.Length; k++)
        {
            var shaped = edit.MaskGrow == 0 && edit.MaskFeather == 0 ? planes[k] : MaskShaper.Shape(planes[k], edit.MaskGrow, edit.MaskFeather);
            var canvas = new GrayImage(placement.CanvasWidth, placement.CanvasHeight);
            for (var y = 0; y < image.Height; y++)
            {
                shaped.Row(y).CopyTo(canvas.Row(placement.Original.Y + y).Slice(placement.Original.X, image.Width));
            }

            result[k] = canvas;
        }

        return result;
    }

    /// <summary>The largest value of the region masks at each pixel: the whole regenerated area.</summary>
    private static GrayImage Union(IReadOnlyList<GrayImage> masks, FillPlacement placement)
    {
        var union = new GrayImage(placement.CanvasWidth, placement.CanvasHeight);
        foreach (var mask in masks)
        {
            var a = union.Pixels;
            var b = mask.Pixels;
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = Math.Max(a[i], b[i]);
            }
        }

        return union;
    }

    /// <summary>True when two sizes have the same aspect ratio within 1 %, or within one pixel of rounding.</summary>
    public static bool SameAspect(PixelSize mask, PixelSize image)
    {
        var expectedHeight = mask.Width * (double)image.Height / image.Width;
        if (Math.Abs(expectedHeight - mask.Height) <= 1)
        {
            return true;
        }

        return Math.Abs((mask.Aspect / image.Aspect) - 1) <= AspectTolerance;
    }

    private static GrayImage? UserMask(ReadOnlyMemory<byte> file, ImageEdit edit, PixelSize image, ImageLimits limits, Notes notes)
    {
        using var decoded = ImageDecoder.Decode(file.Span, limits, "mask");
        var size = new PixelSize(decoded.Width, decoded.Height);
        if (!SameAspect(size, image))
        {
            throw new PermanentFluxException(new FluxError(
                ErrorCodes.MaskAspectMismatch,
                string.Create(CultureInfo.InvariantCulture, $"The mask is {size} (aspect {size.Aspect:0.###}) but the image is {image} (aspect {image.Aspect:0.###}): the aspect ratios must match within 1 %. A mask of the same aspect ratio at another resolution is fine; it is resized."),
                "mask"));
        }

        var alpha = decoded.HasTransparency ? PixelOps.Alpha(decoded.Bitmap) : null;
        var useAlpha = alpha is not null && !IsConstant(alpha);
        var plane = useAlpha ? alpha! : GrayImage.FromBitmap(decoded.Bitmap);
        notes.Steps.Add($"mask: {decoded.Info.Format.Name()} {size}, read from its {(useAlpha ? "alpha channel (opaque = regenerate)" : "luminance (white = regenerate)")}");
        if (size != image)
        {
            plane = GrayResizer.Resize(plane, image.Width, image.Height);
            notes.Steps.Add($"mask resized {size} → {image}");
        }

        var set = MaskShaper.Binarize(plane);
        notes.Coverage = set / (double)image.Pixels;
        notes.Steps.Add(string.Create(CultureInfo.InvariantCulture, $"mask binarised at 50 %: {notes.Coverage:P1} of the image to regenerate"));
        if (set == 0)
        {
            if (edit.Outpaint is not null)
            {
                notes.Warnings.Add("The mask is all black (nothing to regenerate inside the image); only the outpaint padding is generated.");
                return null;
            }

            throw new PermanentFluxException(new FluxError(
                ErrorCodes.EmptyMask,
                "The mask is all black: nothing to regenerate. Paint the areas to regenerate white (or opaque on a transparent layer).",
                "mask"));
        }

        if (set == image.Pixels)
        {
            notes.Warnings.Add("The mask is all white: the whole image is regenerated and the original only guides the result loosely.");
        }

        if (edit.MaskGrow == 0 && edit.MaskFeather == 0)
        {
            return plane;
        }

        notes.Steps.Add(string.Create(CultureInfo.InvariantCulture, $"mask grown by {edit.MaskGrow} px and feathered over {edit.MaskFeather} px outward"));
        return MaskShaper.Shape(plane, edit.MaskGrow, edit.MaskFeather);
    }

    private static bool IsConstant(GrayImage image)
    {
        var span = image.Span;
        return span.IndexOfAnyExcept(span[0]) < 0;
    }

    /// <summary>White padding; inside the original a ramp from the padded sides, <paramref name="blur"/> px deep.</summary>
    private static void Pad(GrayImage canvas, PixelRect original, int blur)
    {
        var canvasWidth = canvas.Width;
        var padLeft = original.X > 0;
        var padTop = original.Y > 0;
        var padRight = original.Right < canvasWidth;
        var padBottom = original.Bottom < canvas.Height;
        for (var y = 0; y < canvas.Height; y++)
        {
            var row = canvas.Row(y);
            if (y < original.Y || y >= original.Bottom)
            {
                row.Fill(255);
                continue;
            }

            row[..original.X].Fill(255);
            row[original.Right..].Fill(255);
            if (blur <= 0)
            {
                continue;
            }

            for (var x = original.X; x < original.Right; x++)
            {
                // Distance (1 = first original pixel) to the nearest padded side.
                var distance = int.MaxValue;
                if (padLeft)
                {
                    distance = Math.Min(distance, x - original.X + 1);
                }

                if (padRight)
                {
                    distance = Math.Min(distance, original.Right - x);
                }

                if (padTop)
                {
                    distance = Math.Min(distance, y - original.Y + 1);
                }

                if (padBottom)
                {
                    distance = Math.Min(distance, original.Bottom - y);
                }

                if (distance > blur)
                {
                    continue;
                }

                var t = distance / (double)(blur + 1);
                var ramp = (byte)Math.Round(255 * (1 - (t * t * (3 - (2 * t)))));
                row[x] = Math.Max(row[x], ramp);
            }
        }
    }
}
