using System.Text.Json.Serialization;

namespace FluxFunctions.Imaging;

/// <summary>
/// Where things sit for a Fill job, in the pixels of the ORIGINAL image: the result canvas (the original, or the
/// original plus the outpaint padding), the original on it, and the region of the canvas that was scaled to
/// <see cref="SentWidth"/> × <see cref="SentHeight"/> and sent to Runware. <see cref="ResultFinisher"/> uses it to
/// put the generated image back. Plain data: it travels between activities.
/// </summary>
/// <remarks>
/// Without crop-to-context the region is the whole canvas. With it (<see cref="ContextPlanner"/>) each crop has its own
/// placement: the region is the crop box and <see cref="Owned"/> the part of it whose mask that crop regenerates (the
/// crop's masked regions, after grow and feather); pixels outside every owned box stay the original's.
/// </remarks>
/// <param name="CanvasWidth">Width of the result canvas.</param>
/// <param name="CanvasHeight">Height of the result canvas.</param>
/// <param name="Original">Where the original image sits on the canvas (offset by the left/top padding when outpainting).</param>
/// <param name="Region">The part of the canvas that was sent.</param>
/// <param name="SentWidth">Width of the image sent to Runware (a valid Runware size).</param>
/// <param name="SentHeight">Height of the image sent to Runware.</param>
public sealed record FillPlacement(int CanvasWidth, int CanvasHeight, PixelRect Original, PixelRect Region, int SentWidth, int SentHeight)
{
    /// <summary>
    /// A crop's own masked area inside <see cref="Region"/> (the bounding box of its masked regions after grow and
    /// feather); the generated image is composited there only. Null: the whole region.
    /// </summary>
    public PixelRect? Owned { get; init; }

    /// <summary>
    /// Per-region prompts: which of <see cref="ImageEdit.Regions"/> this crop regenerates (its mask is that
    /// region's alone). Null without regions.
    /// </summary>
    public int? RegionIndex { get; init; }

    [JsonIgnore]
    public PixelSize Canvas => new(CanvasWidth, CanvasHeight);

    [JsonIgnore]
    public PixelSize Sent => new(SentWidth, SentHeight);

    [JsonIgnore]
    public bool IsOutpaint => Original.Size != Canvas;

    /// <summary>Only part of the canvas was sent (crop-to-context).</summary>
    [JsonIgnore]
    public bool IsCrop => Region != new PixelRect(0, 0, CanvasWidth, CanvasHeight);

    /// <summary>Where the generated image is composited: <see cref="Owned"/>, or the whole region.</summary>
    [JsonIgnore]
    public PixelRect Composited => Owned ?? Region;

    /// <summary>Sent pixels per canvas pixel, horizontally (above 1: the region was enlarged for the model).</summary>
    [JsonIgnore]
    public double ScaleX => SentWidth / (double)Region.Width;

    /// <summary>Sent pixels per canvas pixel, vertically.</summary>
    [JsonIgnore]
    public double ScaleY => SentHeight / (double)Region.Height;
}
