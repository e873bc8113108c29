using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>The encoded formats the emulator stores and serves (Runware's <c>outputFormat</c>).</summary>
internal enum ImageFormat
{
    Png,
    Jpg,
    Webp,
}

/// <summary>Names, extensions, content types and Skia formats of <see cref="ImageFormat"/>.</summary>
internal static class ImageFormats
{
    /// <summary>Parses Runware's <c>outputFormat</c>: PNG, JPG or WEBP, case-insensitive (Runware has no "JPEG").</summary>
    public static bool TryParse(string? text, out ImageFormat format)
    {
        switch (text?.ToUpperInvariant())
        {
            case "PNG":
                format = ImageFormat.Png;
                return true;
            case "JPG":
                format = ImageFormat.Jpg;
                return true;
            case "WEBP":
                format = ImageFormat.Webp;
                return true;
            default:
                format = ImageFormat.Png;
                return false;
        }
    }

    /// <summary>The file extension without a dot.</summary>
    public static string Extension(this ImageFormat format) => format switch
    {
        ImageFormat.Jpg => "jpg",
        ImageFormat.Webp => "webp",
        _ => "png",
    };

    /// <summary>The MIME type.</summary>
    public static string ContentType(this ImageFormat format) => format switch
    {
        ImageFormat.Jpg => "image/jpeg",
        ImageFormat.Webp => "image/webp",
        _ => "image/png",
    };

    /// <summary>Skia's encoder for the format.</summary>
    public static SKEncodedImageFormat ToSkia(this ImageFormat format) => format switch
    {
        ImageFormat.Jpg => SKEncodedImageFormat.Jpeg,
        ImageFormat.Webp => SKEncodedImageFormat.Webp,
        _ => SKEncodedImageFormat.Png,
    };

    /// <summary>The stored format of a decoded input: PNG, JPG and WEBP keep theirs, anything else is re-encoded as PNG.</summary>
    public static ImageFormat? FromSkia(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => ImageFormat.Png,
        SKEncodedImageFormat.Jpeg => ImageFormat.Jpg,
        SKEncodedImageFormat.Webp => ImageFormat.Webp,
        _ => null,
    };

    /// <summary>Parses a file extension (png, jpg, webp).</summary>
    public static bool TryParseExtension(string extension, out ImageFormat format) =>
        TryParse(extension, out format);
}
