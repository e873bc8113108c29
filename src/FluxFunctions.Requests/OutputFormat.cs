using System.Text.Json.Serialization;

namespace FluxFunctions.Requests;

/// <summary>The image format of results (Runware's <c>outputFormat</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputFormat>))]
public enum OutputFormat
{
    PNG,
    JPG,
    WEBP,
}

public static class OutputFormats
{
    public static bool TryParse(string? value, out OutputFormat format)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "PNG": format = OutputFormat.PNG; return true;
            case "JPG": format = OutputFormat.JPG; return true;
            case "JPEG": format = OutputFormat.JPG; return true;
            case "WEBP": format = OutputFormat.WEBP; return true;
            default: format = default; return false;
        }
    }

    public static string Extension(this OutputFormat format) => format switch
    {
        OutputFormat.PNG => "png",
        OutputFormat.JPG => "jpg",
        OutputFormat.WEBP => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string ContentType(this OutputFormat format) => format switch
    {
        OutputFormat.PNG => "image/png",
        OutputFormat.JPG => "image/jpeg",
        OutputFormat.WEBP => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
