namespace FluxFunctions.Imaging;

/// <summary>How images are written.</summary>
/// <param name="JpegQuality">JPEG quality 1–100 (default 92: visually lossless for photos).</param>
/// <param name="WebpQuality">Lossy WebP quality 1–100 (default 92).</param>
/// <param name="WebpLossless">Write WebP results losslessly (default false: lossy, like Runware's own WEBP output).</param>
/// <param name="PngCompressionLevel">zlib level 0–9 for PNG (default 6).</param>
public sealed record EncodeOptions(int JpegQuality = 92, int WebpQuality = 92, bool WebpLossless = false, int PngCompressionLevel = 6)
{
    public static EncodeOptions Default { get; } = new();
}
