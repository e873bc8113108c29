namespace FluxFunctions.Imaging;

/// <summary>
/// What an input image may be. Checked from the file's header before any pixel is decoded, so a decompression
/// bomb (a tiny file announcing billions of pixels) is refused without allocating its pixels.
/// </summary>
/// <param name="MaxPixels">Width × height limit (default 50 MP: a 48 MP phone photo fits; 4 bytes a pixel when decoded).</param>
/// <param name="MaxBytes">File size limit (default 64 MiB).</param>
/// <param name="MinSide">Smallest width or height accepted (default 16 px).</param>
public sealed record ImageLimits(long MaxPixels = 50_000_000, long MaxBytes = 64L * 1024 * 1024, int MinSide = 16)
{
    public static ImageLimits Default { get; } = new();
}
