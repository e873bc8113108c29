using System.Runtime.InteropServices;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// Makes the final image of a result. A masked edit with <see cref="ImageEdit.Stitch"/>: the generated image (or
/// each crop's, with crop-to-context) is scaled from the sent size back to its region at the original's scale, colour
/// matched to the original around the mask (<see cref="ImageEdit.ColorMatch"/>, <see cref="ColorMatcher"/>) and
/// composited over the ORIGINAL with the same feathered mask preparation built, so every pixel where the mask is 0 is
/// exactly the original's (colour and alpha) and the result has the original's size (the outpainted canvas's when
/// outpainting). Otherwise the generated image is
/// returned as it came, re-encoded only when its format is not the requested one.
/// </summary>
/// <remarks>
/// "Exactly" holds for the composited pixels; a PNG output keeps them bit for bit (and keeps the original's
/// transparency outside the mask). JPEG and WebP (lossy unless <see cref="EncodeOptions.WebpLossless"/>) are lossy
/// formats: the untouched pixels are exact before encoding and then carry the codec's usual small error, like any
/// re-saved photo. JPEG has no alpha: transparent originals are composited onto white.
/// </remarks>
public static class ResultFinisher
{
    /// <exception cref="Errors.PermanentFluxException">An image error for the generated image, the original or the mask.</exception>
    public static FinishedImage Finish(FinishRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Edit);
        var format = request.Edit.OutputFormat;
        return request.Edit.Stitch
            ? Stitch(request, format)
            : Convert(request, format);
    }

    private static FinishedImage Convert(FinishRequest request, ImageFileFormat format)
    {
        var info = ImageProbe.Probe(request.Generated.Span, request.Limits, "generated");
        if (info.Format == format && info.ExifOrientation == 1)
        {
            return new FinishedImage(request.Generated, format, info.Width, info.Height, Stitched: false, Reencoded: false, Stitch: null);
        }

        using var decoded = ImageDecoder.Decode(request.Generated.Span, request.Limits, "generated");
        var bytes = ImageEncoder.Encode(decoded.Bitmap, format, request.Encoding);
        return new FinishedImage(bytes, format, decoded.Width, decoded.Height, Stitched: false, Reencoded: true, Stitch: null);
    }

    private static FinishedImage Stitch(FinishRequest request, ImageFileFormat format)
    {
        var crops = request.Crops
            ?? (request.Placement is { } single ? [new GeneratedCrop(single, request.Generated)] : null);
        if (request.Original is not { } originalFile || crops is not { Count: > 0 })
        {
            throw new ArgumentException("Stitching a Fill result needs the original image and the placement from the preparation.", nameof(request));
        }

        var placement = crops[0].Placement;
        using var original = ImageDecoder.Decode(originalFile.Span, request.Limits, "image");
        if (original.Width != placement.Original.Width || original.Height != placement.Original.Height)
        {
            throw new ArgumentException($"The original is {original.Width}×{original.Height}, the placement expects {placement.Original.Size}.", nameof(request));
        }

        // Per-region prompts: each crop is composited with its own region's mask (the same one preparation sent), in
        // region order, so where two regions' feathered edges overlap the later region lies over the earlier one.
        var regionMasks = request.Edit.Regions.Count > 0 && request.Mask is { } regionFile
            ? FillMaskBuilder.BuildRegions(regionFile, request.Edit, placement, request.Limits, new FillMaskBuilder.Notes())
            : null;
        var wholeMask = regionMasks is null ? FillMaskBuilder.Build(request.Mask, request.Edit, placement, request.Limits, new FillMaskBuilder.Notes()) : null;
        // The canvas: the decoded original itself when it already is one (no outpainting, and the pixel format the result
        // is written in), so a 2048² Fill result needs one full-size bitmap less at the moment it peaks; otherwise a
        // new one with the original placed in it. Either way every pixel starts as the original's.
        var alpha = original.HasTransparency ? SKAlphaType.Unpremul : SKAlphaType.Opaque;
        var inPlace = !placement.IsOutpaint && original.Bitmap.ColorType == SKColorType.Rgba8888 && original.Bitmap.AlphaType == alpha
            && original.Bitmap.RowBytes == original.Width * 4;
        using var canvas = inPlace ? null : new SKBitmap(new SKImageInfo(placement.CanvasWidth, placement.CanvasHeight, SKColorType.Rgba8888, alpha, original.Bitmap.ColorSpace));
        var result = canvas ?? original.Bitmap;
        if (canvas is not null)
        {
            Place(original.Bitmap, canvas, placement.Original);
        }

        var summary = new StitchSummary((long)result.Width * result.Height, 0, 0);
        var matches = new List<ColorMatchReport>(crops.Count);
        for (var i = 0; i < crops.Count; i++)
        {
            var crop = crops[i].Placement;
            if (crop.Canvas != placement.Canvas || crop.Original != placement.Original || !new PixelRect(0, 0, crop.CanvasWidth, crop.CanvasHeight).Contains(crop.Region) || !crop.Region.Contains(crop.Composited))
            {
                throw new ArgumentException($"Crop {i} does not fit the canvas of crop 0.", nameof(request));
            }

            var mask = regionMasks is null ? wholeMask! : regionMasks[crop.RegionIndex ?? throw new ArgumentException($"Crop {i} names no region, but the job has regions.", nameof(request))];
            using var generated = ImageDecoder.Decode(crops[i].Generated.Span, request.Limits, "generated");
            using var scaled = ImageResizer.Resize(generated.Bitmap, crop.Region.Width, crop.Region.Height);
            matches.Add(!request.Edit.ColorMatch ? ColorMatchReport.Skip(i, 0, "colorMatch is off")
                : placement.IsOutpaint ? ColorMatchReport.Skip(i, 0, "outpainting: the canvas is not colour matched")
                : ColorMatcher.Match(result, scaled, mask, crop.Region, crop.Composited, i));
            summary = Add(summary, Composite(result, scaled, mask, crop.Region, crop.Composited));
        }

        var bytes = ImageEncoder.Encode(result, format, request.Encoding);
        return new FinishedImage(bytes, format, result.Width, result.Height, Stitched: true, Reencoded: true, summary) { ColorMatch = matches };
    }

    /// <summary>Adds a composited area's counts to the whole canvas's (whose pixels start out all kept).</summary>
    private static StitchSummary Add(StitchSummary total, StitchSummary area) =>
        new(total.Kept - area.Blended - area.Generated, total.Blended + area.Blended, total.Generated + area.Generated);

    /// <summary>Copies the original's pixels into the canvas; the rest of the canvas is cleared.</summary>
    private static void Place(SKBitmap original, SKBitmap canvas, PixelRect at)
    {
        var src = MemoryMarshal.Cast<byte, uint>(original.GetPixelSpan());
        var dst = MemoryMarshal.Cast<byte, uint>(canvas.GetPixelSpan());
        if (at.Size != new PixelSize(canvas.Width, canvas.Height))
        {
            dst.Clear();
        }

        for (var y = 0; y < at.Height; y++)
        {
            src.Slice(y * at.Width, at.Width).CopyTo(dst.Slice(((at.Y + y) * canvas.Width) + at.X, at.Width));
        }
    }

    /// <summary>
    /// Within <paramref name="area"/> (part of <paramref name="region"/>, which <paramref name="generated"/> covers): mask 0
    /// keeps the canvas pixel, 255 takes the generated one, values between blend (unpremultiplied, rounded). Nothing
    /// else changes. Returns the counts within the area.
    /// </summary>
    private static StitchSummary Composite(SKBitmap canvas, SKBitmap generated, GrayImage mask, PixelRect region, PixelRect area)
    {
        long kept = 0, blended = 0, taken = 0;
        var gate = new object();
        RowBands.For(area.Height, area.Size.Pixels, (start, end) =>
        {
            long k = 0, b = 0, t = 0;
            var dst = MemoryMarshal.Cast<byte, uint>(canvas.GetPixelSpan());
            var gen = MemoryMarshal.Cast<byte, uint>(generated.GetPixelSpan());
            for (var y = start; y < end; y++)
            {
                var cy = area.Y + y;
                var maskRow = mask.Row(cy).Slice(area.X, area.Width);
                var outRow = dst.Slice((cy * canvas.Width) + area.X, area.Width);
                var genRow = gen.Slice(((cy - region.Y) * region.Width) + (area.X - region.X), area.Width);
                for (var x = 0; x < maskRow.Length; x++)
                {
                    int m = maskRow[x];
                    if (m == 0)
                    {
                        k++;
                    }
                    else if (m == 255)
                    {
                        outRow[x] = genRow[x] | 0xFF000000u;
                        t++;
                    }
                    else
                    {
                        outRow[x] = Blend(outRow[x], genRow[x] | 0xFF000000u, m);
                        b++;
                    }
                }
            }

            lock (gate)
            {
                kept += k;
                blended += b;
                taken += t;
            }
        });
        return new StitchSummary(kept, blended, taken);
    }

    private static uint Blend(uint under, uint over, int m)
    {
        var result = 0u;
        for (var shift = 0; shift < 32; shift += 8)
        {
            var a = (int)((under >> shift) & 0xFF);
            var b = (int)((over >> shift) & 0xFF);
            result |= (uint)(((a * (255 - m)) + (b * m) + 127) / 255) << shift;
        }

        return result;
    }
}
