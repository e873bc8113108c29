using System.Text.Json.Serialization;

namespace FluxFunctions.Core.Imaging;

/// <summary>
/// Where things sit for a Fill job, in the pixels of the ORIGINAL image: the result canvas (the original, or the
/// original plus the outpaint padding), the original on it, and the region of the canvas that was scaled to
/// <see cref="SentWidth"/> × <see cref="SentHeight"/> and sent to Runware. <see cref="ResultFinisher"/> uses it to
/// put the generated image back. Plain data: it travels between activities.
/// </summary>
/// <remarks>
/// Today the region is always the whole canvas. Crop-to-context (sending only the part around the mask) sets a
/// smaller region; stitching already handles it (pixels outside the region stay the original's).
/// </remarks>
/// <param name="CanvasWidth">Width of the result canvas.</param>
/// <param name="CanvasHeight">Height of the result canvas.</param>
/// <param name="Original">Where the original image sits on the canvas (offset by the left/top padding when outpainting).</param>
/// <param name="Region">The part of the canvas that was sent.</param>
/// <param name="SentWidth">Width of the image sent to Runware (a valid Runware size).</param>
/// <param name="SentHeight">Height of the image sent to Runware.</param>
public sealed record FillPlacement(int CanvasWidth, int CanvasHeight, PixelRect Original, PixelRect Region, int SentWidth, int SentHeight)
{
    [JsonIgnore]
    public PixelSize Canvas => new(CanvasWidth, CanvasHeight);

    [JsonIgnore]
    public PixelSize Sent => new(SentWidth, SentHeight);

    [JsonIgnore]
    public bool IsOutpaint => Original.Size != Canvas;
}
