using System.Buffers;
using System.Globalization;
using FluxFunctions.Errors;
using FluxFunctions.ImageRules;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// Turns a job's input files into what is sent to Runware, per preparation (the FLUX Tools best practices the user would
/// otherwise do by hand). Pure: bytes in, bytes out.
/// </summary>
/// <remarks>
/// <para>Every input is decoded (so a damaged file fails here, not at Runware) with its EXIF orientation applied; one
/// that will be sent as it came (upright, without an alpha channel, already a size Runware takes, to a tool that sends
/// it unchanged) is only checked, by a decode that reads all its data but keeps no full-size pixels
/// (<see cref="ImageDecoder.Verify"/>).
/// Transparent pixels are composited onto white for anything sent to Runware (the models see RGB; hidden colours
/// under transparency would leak). An input that already is what Runware needs (the target size, upright, opaque) is
/// sent as its original bytes (<see cref="PreparedImage.Passthrough"/>). Otherwise it is resized and re-encoded in
/// its own family (JPEG stays JPEG at quality 92, PNG stays PNG, WebP stays WebP, lossless if it was); masks and
/// edge maps are 8-bit grayscale PNG.</para>
/// <para>Sizes: the request's width/height, or about one megapixel at the input's aspect ratio (<see cref="SizePlanner"/>).
/// Fill stretches to the target (stitching undoes it exactly); Canny and Depth crop the centre to the target's aspect
/// ratio ("cover") so structure is not distorted; Redux sends the guide at its own size when Runware accepts it.</para>
/// </remarks>
public static class ImagePreparer
{
    /// <summary>A relative aspect ratio change above which the user is warned that the image is stretched or cropped.</summary>
    public const double AspectWarningTolerance = 0.01;

    /// <summary>The lowest JPEG quality a re-encoded JPEG input is sent at, however low the input's own quality (each re-encode at a low quality compounds its artefacts).</summary>
    public const int MinSentJpegQuality = 75;

    /// <summary>How far an outpaint canvas's aspect may move when it is fitted to a Runware size without a requested size.</summary>
    public const double OutpaintAspectTolerance = 0.02;

    private enum Fit
    {
        Stretch,
        Cover,
    }

    /// <exception cref="PermanentFluxException">Bad input: any image error (image or mask), missingField (Fill without a mask), maskAspectMismatch, emptyMask, or an outpaint canvas that cannot be sent.</exception>
    public static PreparedImages Prepare(PrepareRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Edit);
        var edit = request.Edit;
        using var job = Job.Open(request, "image", edit.Preparation switch
        {
            ImagePreparation.Guide when edit.Guide != GuideSource.LocalCanny => j => j.Plan(j.Original),
            ImagePreparation.Reference => j => j.ReduxGuide(),
            _ => null,
        });
        var info = job.Info;
        job.Steps.Add(string.Create(CultureInfo.InvariantCulture, $"input: {info.Format.Name()} {info.Width}×{info.Height}{(info.ExifOrientation != 1 ? $", EXIF orientation {info.ExifOrientation} applied → {job.Original.Width}×{job.Original.Height}" : "")}{(job.HasTransparency ? ", with transparency" : "")}"));
        if (request.Mask is not null && edit.MaskIgnoredWarning is { } ignored)
        {
            job.Warnings.Add(ignored);
        }

        return edit.Preparation switch
        {
            ImagePreparation.Masked => PrepareFill(job),
            ImagePreparation.Guide => PrepareGuide(job, localCanny: edit.Guide == GuideSource.LocalCanny),
            ImagePreparation.Reference => PrepareRedux(job),
            _ => throw new ArgumentOutOfRangeException(nameof(request), edit.Preparation, "Unknown preparation."),
        };
    }

    /// <summary>
    /// A reference image (fill's ACE++ reference, kontext's extra references): decoded and checked like the input (format,
    /// file size, pixel budget; errors name <paramref name="field"/>), upright and opaque, kept at its own size when Runware
    /// accepts it and otherwise resized to about one megapixel at its aspect ratio (as Redux's guide).
    /// </summary>
    /// <exception cref="PermanentFluxException">The reference is not an image the pipeline can send.</exception>
    public static PreparedImage PrepareReference(PrepareRequest request, string field)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Edit);
        using var job = Job.Open(request, field, j => j.ReduxGuide());
        return job.Seed(job.ReduxGuide(), Fit.Stretch);
    }

    private static PreparedImages PrepareFill(Job job)
    {
        var edit = job.Edit;
        var original = job.Original;
        if (job.Request.Mask is null && edit.MaskRequired is { } required)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.MissingField, required, "mask"));
        }

        var outpaint = edit.Outpaint;
        var canvas = outpaint is null
            ? original
            : new PixelSize(original.Width + outpaint.Left + outpaint.Right, original.Height + outpaint.Top + outpaint.Bottom);
        if (canvas.Pixels > job.Request.Limits.MaxPixels)
        {
            throw new PermanentFluxException(new FluxError(
                ErrorCodes.ImageTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"The outpainted canvas would be {canvas} ({canvas.Pixels / 1e6:0.#} MP); the limit is {job.Request.Limits.MaxPixels / 1e6:0.#} MP."),
                "outpaint"));
        }

        var target = job.Plan(canvas);
        if (outpaint is not null && edit.Width is null && edit.Height is null && AspectChange(canvas, target) > OutpaintAspectTolerance)
        {
            throw new PermanentFluxException(new FluxError(
                ErrorCodes.OutOfRange,
                string.Create(CultureInfo.InvariantCulture, $"The outpainted canvas would be {canvas} (aspect {canvas.Aspect:0.##}:1); Runware's sizes ({job.Rules.Min}–{job.Rules.Max} px, multiples of {job.Rules.Step}) cannot keep that aspect ratio (the closest is {target}). Extend the short side more or the long side less."),
                "outpaint"));
        }

        var placement = new FillPlacement(
            canvas.Width,
            canvas.Height,
            new PixelRect(outpaint?.Left ?? 0, outpaint?.Top ?? 0, original.Width, original.Height),
            new PixelRect(0, 0, canvas.Width, canvas.Height),
            target.Width,
            target.Height);

        var notes = new FillMaskBuilder.Notes();
        if (edit.Regions.Count > 0 && job.Request.Mask is { } regionFile)
        {
            // Per-region prompts: one crop (and Runware task) per colour of the mask, each with only its region's mask.
            var regions = FillMaskBuilder.BuildRegions(regionFile, edit, placement, job.Request.Limits, notes);
            job.Steps.AddRange(notes.Steps);
            job.Warnings.AddRange(notes.Warnings);
            var regionPlan = ContextPlanner.PlanRegions(regions, edit, target, job.Rules);
            job.Steps.Add($"context (regions): {regionPlan.Decision.Reason}");
            return PrepareCrops(job, regions, placement, regionPlan, notes.Coverage);
        }

        var canvasMask = FillMaskBuilder.Build(job.Request.Mask, edit, placement, job.Request.Limits, notes);
        job.Steps.AddRange(notes.Steps);
        job.Warnings.AddRange(notes.Warnings);

        // Crop to context: send only the parts around the mask, each enlarged to a full Runware size.
        // Crop to context only where the edit allows it; otherwise the whole image is sent, as with context: off.
        var contextEdit = edit.CropToContext ? edit : edit with { Context = new ContextCrop(ContextMode.Off, null) };
        var plan = ContextPlanner.Plan(canvasMask, contextEdit, target, job.Rules);
        job.Steps.Add($"context ({contextEdit.Context.Mode.ToString().ToLowerInvariant()}): {plan.Decision.Reason}");
        if (plan.Crops.Count > 0)
        {
            return PrepareCrops(job, [canvasMask], placement, plan, notes.Coverage);
        }

        if (edit.Context.Mode == ContextMode.Always && edit.Outpaint is null && !edit.Stitch)
        {
            job.Warnings.Add("context.mode is always, but without stitching a crop could not be put back: the whole image was sent.");
        }

        job.WarnIfReshaped(canvas, target, "stretched");
        PreparedImage seed;
        if (outpaint is null)
        {
            seed = job.Seed(target, Fit.Stretch);
        }
        else
        {
            using var flat = job.Flattened();
            using var built = OutpaintCanvas.Build(flat.Bitmap, placement);
            job.Steps.Add($"outpaint canvas {canvas} built at {target}: original placed at {placement.Original}, padding filled with its blurred edges");
            seed = job.Encode(built);
        }

        var sentMask = GrayResizer.Resize(canvasMask.Crop(placement.Region), target.Width, target.Height);
        if (placement.Region.Size != target)
        {
            job.Steps.Add($"mask scaled {placement.Region.Size} → {target}");
        }

        var mask = new PreparedImage(ImageEncoder.EncodePng(sentMask), ImageFileFormat.Png, target.Width, target.Height, Passthrough: false);
        return job.Result(seed, target, mask, placement, notes.Coverage) with { Crops = [new PreparedCrop(0, seed, mask, placement, 0)], Context = plan.Decision };
    }

    /// <summary>
    /// One seed and mask per planned crop: the crop box cut from the (flattened) original and scaled to its Runware size.
    /// <paramref name="masks"/> is the one canvas mask, or one per region (crop <c>i</c> is region <c>i</c>).
    /// </summary>
    private static PreparedImages PrepareCrops(Job job, IReadOnlyList<GrayImage> masks, FillPlacement whole, ContextPlan plan, double? coverage)
    {
        var perRegion = job.Edit.Regions.Count > 0;
        var crops = new List<PreparedCrop>(plan.Crops.Count);
        using var flat = job.Flattened();
        for (var i = 0; i < plan.Crops.Count; i++)
        {
            var c = plan.Crops[i];
            var canvasMask = perRegion ? masks[i] : masks[0];
            var placement = whole with { Region = c.Box, SentWidth = c.Target.Width, SentHeight = c.Target.Height, Owned = c.MaskBox, RegionIndex = perRegion ? i : null };
            job.Steps.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"crop {i}{(perRegion ? $" (region {i}, {job.Edit.Regions[i].Color})" : "")}: {c.Box} around the masked area {c.MaskBox} (margin {c.Margin} px) scaled to {c.Target} (×{placement.ScaleX:0.###} horizontally, ×{placement.ScaleY:0.###} vertically)"));
            using var cut = ImageResizer.Crop(flat.Bitmap, c.Box);
            using var scaled = ImageResizer.Resize(cut, c.Target.Width, c.Target.Height);
            var seed = job.Encode(scaled, describe: i == 0);

            // Only the crop's own masked area: another crop's region that falls inside this box stays context here.
            var own = canvasMask.Crop(c.Box);
            var mine = new PixelRect(c.MaskBox.X - c.Box.X, c.MaskBox.Y - c.Box.Y, c.MaskBox.Width, c.MaskBox.Height);
            for (var y = 0; y < own.Height; y++)
            {
                var row = own.Row(y);
                if (y < mine.Y || y >= mine.Bottom)
                {
                    row.Clear();
                    continue;
                }

                row[..mine.X].Clear();
                row[mine.Right..].Clear();
            }

            var sentMask = GrayResizer.Resize(own, c.Target.Width, c.Target.Height);
            var mask = new PreparedImage(ImageEncoder.EncodePng(sentMask), ImageFileFormat.Png, c.Target.Width, c.Target.Height, Passthrough: false);
            crops.Add(new PreparedCrop(i, seed, mask, placement, c.Margin));
        }

        var first = crops[0];
        return job.Result(first.Seed, first.Placement.Sent, first.Mask, first.Placement, coverage) with { Crops = crops, Context = plan.Decision };
    }

    private static PreparedImages PrepareGuide(Job job, bool localCanny)
    {
        var target = job.Plan(job.Original);
        job.WarnIfReshaped(job.Original, target, "cropped to the centre");
        if (!localCanny)
        {
            job.Steps.Add(job.Edit.Guide == GuideSource.Input
                ? "the input is the guide (preprocess: none)"
                : $"normalised for Runware's {job.Edit.Tool} preprocessor (controlNetPreprocess)");
            return job.Result(job.Seed(target, Fit.Cover), target);
        }

        using var normalised = job.Normalised(target, Fit.Cover);
        var options = job.Edit.Canny;

        // The luma and the edge map in pooled arrays: ones a job used before are already in memory, where new ones cost
        // their pages' first touch (2048²: 2 × 1,024 pages, on a VM 5–12 µs each, more than the detection itself).
        var size = normalised.Bitmap.Width * normalised.Bitmap.Height;
        var luma = ArrayPool<byte>.Shared.Rent(size);
        var map = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var edges = CannyEdgeDetector.Detect(GrayImage.FromBitmap(normalised.Bitmap, luma), map, options);
            job.Steps.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"local Canny at {target}: luma, 5×5 Gaussian, Sobel 3×3 L1, thresholds {options.LowThreshold}/{options.HighThreshold}, hysteresis: {edges.CountNonZero() / (double)(target.Pixels):P1} edge pixels"));
            var image = new PreparedImage(ImageEncoder.EncodePng(edges), ImageFileFormat.Png, target.Width, target.Height, Passthrough: false);
            return job.Result(image, target);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(luma);
            ArrayPool<byte>.Shared.Return(map);
        }
    }

    private static PreparedImages PrepareRedux(Job job)
    {
        var original = job.Original;
        var target = job.Plan(original);
        var guide = job.ReduxGuide();
        job.Steps.Add(guide == original ? $"guide kept at its own size {original}" : $"guide resized to {guide} (about 1 MP at its aspect ratio)");
        return job.Result(job.Seed(guide, Fit.Stretch), target);
    }

    private static double AspectChange(PixelSize from, PixelSize to) => Math.Abs(Math.Log(to.Aspect / from.Aspect));

    /// <summary>One preparation: the request, the input (decoded when its pixels are needed) and what has been done so far.</summary>
    private sealed class Job(PrepareRequest request, ImageInfo info, string parameter) : IDisposable
    {
        private DecodedImage? decoded;

        public PrepareRequest Request { get; } = request;

        public ImageEdit Edit => Request.Edit;

        public SizeRules Rules => Request.SizeRules;

        /// <summary>What the input's header says.</summary>
        public ImageInfo Info { get; } = info;

        /// <summary>The upright input's pixels, decoded the first time they are asked for.</summary>
        public DecodedImage Decoded => decoded ??= ImageDecoder.Decode(Request.Image.Span, Request.Limits, parameter);

        /// <summary>Upright size (EXIF orientation applied).</summary>
        public PixelSize Original { get; } = new(info.UprightWidth, info.UprightHeight);

        /// <summary>A pixel is not fully opaque (known from the header when the file has no alpha channel).</summary>
        public bool HasTransparency => Info.HasAlphaChannel && Decoded.HasTransparency;

        /// <summary>
        /// Checks the input and opens the job. An input that <paramref name="sentAt"/> (the size the tool sends the input at
        /// unchanged, when it does) says will go as it came — upright, no alpha channel, already that size — is checked by
        /// <see cref="ImageDecoder.Verify"/> and its pixels never held; any other is decoded now. Either way a damaged file
        /// fails here, before any other check, as it always did.
        /// </summary>
        public static Job Open(PrepareRequest request, string field, Func<Job, PixelSize>? sentAt)
        {
            var job = new Job(request, ImageProbe.Probe(request.Image.Span, request.Limits, field), field);
            try
            {
                if (job.SentAsItCame(sentAt))
                {
                    ImageDecoder.Verify(request.Image.Span, request.Limits, field);
                }
                else
                {
                    _ = job.Decoded;
                }

                return job;
            }
            catch
            {
                job.Dispose();
                throw;
            }
        }

        /// <summary>A Redux guide (or a reference image) goes at its own size when Runware accepts it, else at about 1 MP at its aspect ratio.</summary>
        public PixelSize ReduxGuide()
        {
            var acceptable = Original.Width >= Rules.Min && Original.Width <= Rules.Max && Original.Height >= Rules.Min && Original.Height <= Rules.Max;
            return acceptable ? Original : Plan(Original, ignoreRequest: true);
        }

        private bool SentAsItCame(Func<Job, PixelSize>? sentAt)
        {
            if (sentAt is null || Info.ExifOrientation != 1 || Info.HasAlphaChannel)
            {
                return false;
            }

            try
            {
                return sentAt(this) == Original;
            }
            catch (PermanentFluxException)
            {
                // A size Runware does not take: decoded as before, so the damaged-file check still comes first.
                return false;
            }
        }

        public void Dispose() => decoded?.Dispose();

        public List<string> Steps { get; } = [];

        public List<string> Warnings { get; } = [];

        public PixelSize Plan(PixelSize source, bool ignoreRequest = false)
        {
            if (!ignoreRequest && Edit.SizePairs is { } pairs)
            {
                // A model with fixed sizes: the requested pair (validated), or the one nearest the input's aspect ratio.
                return Edit.Width is { } pw && Edit.Height is { } ph ? new PixelSize(pw, ph) : SizePlanner.Nearest(pairs, source.Width, source.Height);
            }

            var (w, h) = SizePlanner.Plan(source.Width, source.Height, ignoreRequest ? null : Edit.Width, ignoreRequest ? null : Edit.Height, Rules);
            if (!Rules.IsValid(w) || !Rules.IsValid(h))
            {
                throw new PermanentFluxException(new FluxError(
                    ErrorCodes.OutOfRange,
                    string.Create(CultureInfo.InvariantCulture, $"The size {w}×{h} is not one Runware accepts ({Rules.Min}–{Rules.Max} px, multiples of {Rules.Step})."),
                    "width"));
            }

            return new PixelSize(w, h);
        }

        public void WarnIfReshaped(PixelSize source, PixelSize target, string how)
        {
            if (AspectChange(source, target) > AspectWarningTolerance)
            {
                Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The image ({source}, aspect {source.Aspect:0.###}) is {how} to {target} (aspect {target.Aspect:0.###})."));
            }
        }

        /// <summary>The input as it came when it already fits; otherwise normalised and re-encoded in its own family.</summary>
        public PreparedImage Seed(PixelSize target, Fit fit)
        {
            if (Info.ExifOrientation == 1 && !HasTransparency && Original == target)
            {
                Steps.Add($"input sent as it came: already {target}, upright and opaque");
                return new PreparedImage(Request.Image, Info.Format, target.Width, target.Height, Passthrough: true);
            }

            using var normalised = Normalised(target, fit);
            return Encode(normalised.Bitmap);
        }

        /// <summary>
        /// Upright, opaque, at the target size. At the input's own size that is the flattened input itself, lent rather than
        /// copied (callers only read it): a 2048² copy is 16 MiB more while the job's memory peaks.
        /// </summary>
        public Borrowed Normalised(PixelSize target, Fit fit)
        {
            var flat = Flattened();
            if (Original == target)
            {
                return flat;
            }

            using (flat)
            {
                if (fit == Fit.Stretch)
                {
                    Steps.Add($"resized {Original} → {target}");
                    return new Borrowed(ImageResizer.Resize(flat.Bitmap, target.Width, target.Height), owned: true);
                }

                var result = ImageResizer.ResizeCover(flat.Bitmap, target.Width, target.Height, out var used);
                Steps.Add(used.Size == Original ? $"resized {Original} → {target}" : $"centre {used} cut out and resized to {target}");
                return new Borrowed(result, owned: true);
            }
        }

        /// <summary>The upright input composited onto white (or the input itself when opaque; disposing it then does nothing).</summary>
        public Borrowed Flattened()
        {
            if (!HasTransparency)
            {
                return new Borrowed(Decoded.Bitmap, owned: false);
            }

            Steps.Add("transparent pixels composited onto white");
            return new Borrowed(PixelOps.FlattenOntoWhite(Decoded.Bitmap), owned: true);
        }

        /// <summary>
        /// How re-encoded inputs are written: a JPEG at the lower of the configured quality and the input's own (a higher
        /// one adds bytes, not detail), never below <see cref="MinSentJpegQuality"/>.
        /// </summary>
        private EncodeOptions SentEncoding => sentEncoding ??= Info.Format == ImageFileFormat.Jpeg
            && JpegQualityEstimator.Estimate(Request.Image.Span) is { } own
            && Math.Max(own, MinSentJpegQuality) < Request.Encoding.JpegQuality
                ? Request.Encoding with { JpegQuality = Math.Max(own, MinSentJpegQuality) }
                : Request.Encoding;

        private EncodeOptions? sentEncoding;

        public PreparedImage Encode(SKBitmap bitmap, bool describe = true)
        {
            var info = Info;
            var encoding = SentEncoding;
            var bytes = ImageEncoder.Encode(bitmap, info.Format, encoding, lossless: info.Lossless);
            if (!describe)
            {
                return new PreparedImage(bytes, info.Format, bitmap.Width, bitmap.Height, Passthrough: false);
            }

            Steps.Add(info.Format switch
            {
                ImageFileFormat.Jpeg when encoding.JpegQuality < Request.Encoding.JpegQuality => string.Create(CultureInfo.InvariantCulture, $"encoded as JPEG, quality {encoding.JpegQuality} (the input's own; {Request.Encoding.JpegQuality} would add bytes, not detail)"),
                ImageFileFormat.Jpeg => string.Create(CultureInfo.InvariantCulture, $"encoded as JPEG, quality {encoding.JpegQuality}"),
                ImageFileFormat.Webp when info.Lossless => "encoded as lossless WebP",
                ImageFileFormat.Webp => string.Create(CultureInfo.InvariantCulture, $"encoded as WebP, quality {Request.Encoding.WebpQuality}"),
                _ => "encoded as PNG",
            });
            return new PreparedImage(bytes, info.Format, bitmap.Width, bitmap.Height, Passthrough: false);
        }

        public PreparedImages Result(PreparedImage image, PixelSize target, PreparedImage? mask = null, FillPlacement? placement = null, double? coverage = null)
        {
            var info = Info;
            var input = string.Create(CultureInfo.InvariantCulture, $"{info.Format.Name()} {info.Width}×{info.Height}, EXIF orientation {info.ExifOrientation}");
            return new PreparedImages
            {
                Image = image,
                Mask = mask,
                Source = info,
                OriginalSize = Original,
                TargetSize = target,
                Placement = placement,
                Warnings = Warnings.ToArray(),
                Report = new PreparationReport(Edit.Tool, input, Original, image.Size, image.Passthrough, coverage, Steps.ToArray()),
            };
        }
    }

    /// <summary>A bitmap that may or may not be ours to dispose.</summary>
    private readonly struct Borrowed(SKBitmap bitmap, bool owned) : IDisposable
    {
        public SKBitmap Bitmap { get; } = bitmap;

        public void Dispose()
        {
            if (owned)
            {
                Bitmap.Dispose();
            }
        }
    }
}
