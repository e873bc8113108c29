using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// A decoded image, upright (EXIF orientation applied), as 8-bit RGBA with unpremultiplied alpha, so colours under
/// partial transparency are kept exactly as stored. Owns its bitmap.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    internal DecodedImage(SKBitmap bitmap, ImageInfo info, bool hasTransparency)
    {
        Bitmap = bitmap;
        Info = info;
        HasTransparency = hasTransparency;
    }

    /// <summary>The upright pixels (<see cref="SKColorType.Rgba8888"/>).</summary>
    public SKBitmap Bitmap { get; }

    /// <summary>What the file's header said.</summary>
    public ImageInfo Info { get; }

    /// <summary>At least one pixel is not fully opaque.</summary>
    public bool HasTransparency { get; }

    public int Width => Bitmap.Width;

    public int Height => Bitmap.Height;

    public void Dispose() => Bitmap.Dispose();
}
