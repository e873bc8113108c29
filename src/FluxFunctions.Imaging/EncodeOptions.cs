namespace FluxFunctions.Imaging;

/// <summary>How images are written.</summary>
/// <param name="JpegQuality">JPEG quality 1–100 (default 92: visually lossless for photos).</param>
/// <param name="WebpQuality">Lossy WebP quality 1–100 (default 92).</param>
/// <param name="WebpLossless">Write WebP results losslessly (default false: lossy, like Runware's own WEBP output).</param>
/// <param name="PngCompressionLevel">
/// zlib level 0–9 for colour PNGs (default 3, with <see cref="ImageEncoder.ImageFilters"/>): about 60 ms for a 1024²
/// photo against about 200 ms at level 6 with all filters, for 4–9 % more bytes on photos and 20 % on a smooth
/// gradient. Levels 4 and 5 were as fast and smaller on photos but made smooth gradients 2–3.4 times as large: level 3
/// is the one without such a case. Lossless at any level.
/// </param>
public sealed record EncodeOptions(int JpegQuality = 92, int WebpQuality = 92, bool WebpLossless = false, int PngCompressionLevel = 3)
{
    public static EncodeOptions Default { get; } = new();
}
