using System.Text.RegularExpressions;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;

namespace FluxFunctions.Api;

/// <summary>Where an image comes from.</summary>
public enum ImageSourceKind
{
    /// <summary>A multipart file.</summary>
    Upload,

    /// <summary>An https URL (http too with <c>Flux__AllowPrivateNetworkUrls</c>).</summary>
    Url,

    /// <summary><c>data:image/png;base64,…</c>.</summary>
    DataUri,

    /// <summary>Raw base64.</summary>
    Base64,

    /// <summary><c>blob:{container}/{name}</c> in the input or work container.</summary>
    Blob,
}

/// <summary>An image source after the checks that need no I/O; bytes are set for uploads, data URIs and base64.</summary>
public sealed record ImageSource(string Field, ImageSourceKind Kind, byte[]? Bytes, Uri? Url, BlobRef? Blob, string? Name);

/// <summary>
/// Tells the four text forms of an image apart and checks each without I/O: URLs through the <see cref="UrlGuard"/>
/// (scheme, literal private addresses), data URIs and base64 decoded within the size limit, <c>blob:</c> references
/// limited to the input and work containers with names free of <c>..</c>, absolute paths and control characters.
/// </summary>
public static partial class ImageSourceParser
{
    public static ImageSource Parse(ImageInput input, UrlGuard guard, FluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(options);
        var field = input.Field;
        if (input.Upload is { } upload)
        {
            return new ImageSource(field, ImageSourceKind.Upload, upload, null, null, StemOf(input.FileName));
        }

        var text = (input.Text ?? "").Trim();
        if (text.Length == 0)
        {
            throw Fail(ErrorCodes.InvalidImageSource, $"'{field}' is empty: give an https URL, a data URI, base64 or blob:{{container}}/{{name}}.", field);
        }

        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var match = DataUri().Match(text);
            if (!match.Success)
            {
                throw Fail(ErrorCodes.InvalidImageSource, $"'{field}' is not a valid data URI: use data:image/png;base64,<data>.", field);
            }

            if (!match.Groups["base64"].Success)
            {
                throw Fail(ErrorCodes.InvalidImageSource, $"'{field}' data URI must be base64-encoded (data:image/png;base64,<data>).", field);
            }

            var type = match.Groups["type"].Value;
            if (type.Length > 0 && !type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !type.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                throw Fail(ErrorCodes.NotAnImage, $"'{field}' data URI declares {Clip(type)}, not an image.", field);
            }

            return new ImageSource(field, ImageSourceKind.DataUri, Decode(match.Groups["data"].Value, field, options.MaxInputBytes, "data URI"), null, null, null);
        }

        if (text.StartsWith("blob:", StringComparison.OrdinalIgnoreCase))
        {
            return new ImageSource(field, ImageSourceKind.Blob, null, null, ParseBlob(text["blob:".Length..], field, options), StemOf(text.Split('/')[^1]));
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            // Base64 has no ':'; anything with a scheme is a URL and must pass the guard.
            if (guard.Check(text, field, out var url) is { } error)
            {
                throw new PermanentFluxException(error);
            }

            return new ImageSource(field, ImageSourceKind.Url, null, url, null, StemOf(url!.Segments[^1]));
        }

        return new ImageSource(field, ImageSourceKind.Base64, Decode(text, field, options.MaxInputBytes, "base64"), null, null, null);
    }

    private static BlobRef ParseBlob(string reference, string field, FluxOptions options)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == reference.Length - 1)
        {
            throw Fail(ErrorCodes.InvalidImageSource, $"'{field}' must be blob:{{container}}/{{name}}, e.g. blob:{options.InputContainer}/fill/photo.png.", field);
        }

        var container = reference[..slash];
        var name = reference[(slash + 1)..];
        if (container != options.InputContainer && container != options.WorkContainer)
        {
            throw Fail(ErrorCodes.InvalidImageSource, $"'{field}' may only read the containers {options.InputContainer} and {options.WorkContainer}, not '{Clip(BlobNames.Printable(container))}'.", field);
        }

        if (BlobNames.Check(name, $"'{field}' blob name") is { } nameError)
        {
            throw new PermanentFluxException(nameError with { Parameter = field });
        }

        return new BlobRef(container, name);
    }

    private static byte[] Decode(string base64, string field, long maxBytes, string what)
    {
        // 4 characters carry 3 bytes: refuse what cannot fit before decoding anything.
        if ((long)base64.Length / 4 * 3 > maxBytes + 3)
        {
            throw Fail(ErrorCodes.PayloadTooLarge, $"'{field}' {what} decodes to more than the limit of {maxBytes} bytes (Flux__MaxInputBytes).", field);
        }

        try
        {
            var bytes = Convert.FromBase64String(base64);
            return bytes.Length > maxBytes
                ? throw Fail(ErrorCodes.PayloadTooLarge, $"'{field}' is {bytes.Length} bytes; the limit is {maxBytes} (Flux__MaxInputBytes).", field)
                : bytes;
        }
        catch (FormatException)
        {
            throw Fail(
                ErrorCodes.InvalidImageSource,
                what == "base64"
                    ? $"'{field}' is neither an https URL, a data URI, a blob: reference nor valid base64."
                    : $"'{field}' {what} is not valid base64.",
                field);
        }
    }

    private static string? StemOf(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }

        var name = Uri.UnescapeDataString(fileName.Replace('\\', '/').Split('/')[^1]);
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }

    private static PermanentFluxException Fail(string code, string message, string field) => new(new FluxError(code, message, field));

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    [GeneratedRegex(@"^data:(?<type>[A-Za-z0-9.+\-]+/[A-Za-z0-9.+\-]+)?(?:;[A-Za-z0-9.+\-]+=[^;,]*)*(?<base64>;base64)?,(?<data>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DataUri();
}
