using System.Text.Json.Serialization;

namespace FluxFunctions.Imaging;

/// <summary>What an image file's header says, read without decoding its pixels.</summary>
/// <param name="Format">PNG, JPEG or WebP.</param>
/// <param name="Width">Stored width (before the EXIF orientation is applied).</param>
/// <param name="Height">Stored height (before the EXIF orientation is applied).</param>
/// <param name="ExifOrientation">The EXIF orientation tag, 1 (upright) to 8; 1 when the file has none.</param>
/// <param name="HasAlphaChannel">The file has an alpha channel (its pixels may still all be opaque).</param>
/// <param name="Lossless">PNG, or WebP in its lossless (VP8L) flavour.</param>
public sealed record ImageInfo(ImageFileFormat Format, int Width, int Height, int ExifOrientation, bool HasAlphaChannel, bool Lossless)
{
    /// <summary>The orientation swaps width and height (EXIF 5 to 8: a 90° turn).</summary>
    [JsonIgnore]
    public bool SwapsAxes => ExifOrientation >= 5;

    /// <summary>Width as displayed, after the EXIF orientation.</summary>
    public int UprightWidth => SwapsAxes ? Height : Width;

    /// <summary>Height as displayed, after the EXIF orientation.</summary>
    public int UprightHeight => SwapsAxes ? Width : Height;

    [JsonIgnore]
    public long Pixels => (long)Width * Height;

    public string ContentType => Format.ContentType();
}
