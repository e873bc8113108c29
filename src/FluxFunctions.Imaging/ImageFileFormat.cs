namespace FluxFunctions.Imaging;

/// <summary>The encoded image formats the pipeline reads and writes.</summary>
public enum ImageFileFormat
{
    Png,
    Jpeg,
    Webp,
}

/// <summary>Names and content types of <see cref="ImageFileFormat"/>.</summary>
public static class ImageFileFormats
{
    public static string ContentType(this ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png => "image/png",
        ImageFileFormat.Jpeg => "image/jpeg",
        ImageFileFormat.Webp => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string Name(this ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png => "PNG",
        ImageFileFormat.Jpeg => "JPEG",
        ImageFileFormat.Webp => "WebP",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
