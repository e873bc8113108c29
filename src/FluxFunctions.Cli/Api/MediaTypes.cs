namespace FluxFunctions.Cli.Api;

/// <summary>Content types of the image files the command line uploads, and the file extensions it accepts.</summary>
internal static class MediaTypes
{
    /// <summary>The extensions of input images (SPEC §2), lower case with the dot.</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".webp" };

    public static string ForImage(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };

    /// <summary>The file extension of a result in <paramref name="format"/> (PNG, JPG, WEBP).</summary>
    public static string ExtensionFor(string? format) => format?.ToUpperInvariant() switch
    {
        "JPG" or "JPEG" => "jpg",
        "WEBP" => "webp",
        _ => "png",
    };
}
