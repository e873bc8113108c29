using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// Resolves an image parameter (<c>seedImage</c>, <c>maskImage</c>, <c>guideImage</c>, <c>inputImage</c>, <c>image</c>) as Runware
/// does: a known <c>imageUUID</c>, a data URI, raw base64 or an http(s) URL; the result must decode as an image.
/// </summary>
internal sealed class ImageResolver(ImageStore store, ImageDownloader downloader)
{
    /// <summary>Resolves a reference; on failure the error carries the parameter and its specific code (e.g. <c>invalidSeedImage</c>).</summary>
    public async Task<(ResolvedImage? Image, RunwareError? Error)> ResolveAsync(string reference, string parameter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var value = reference.Trim();
        if (value.Length == 0)
        {
            return Fail(parameter, "is empty; give an imageUUID, a data URI, base64 or an http(s) URL");
        }

        if (Guid.TryParse(value, out var id))
        {
            return store.TryGet(id, out var stored)
                ? (new ResolvedImage(stored.Bytes, stored.Width, stored.Height, stored.Format, stored), null)
                : Fail(parameter, $"names imageUUID {value}, which the emulator does not know (never uploaded, or evicted)");
        }

        byte[]? bytes;
        if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var marker = value.IndexOf(";base64,", StringComparison.OrdinalIgnoreCase);
            if (marker < 0)
            {
                return Fail(parameter, "is a data URI without ';base64,' (write data:image/png;base64,...)");
            }

            bytes = FromBase64(value[(marker + 8)..]);
            if (bytes is null)
            {
                return Fail(parameter, "is a data URI whose payload is not valid base64");
            }
        }
        else if (Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            var (downloaded, problem) = await downloader.DownloadAsync(url, cancellationToken);
            if (downloaded is null)
            {
                return Fail(parameter, problem!);
            }

            bytes = downloaded;
        }
        else
        {
            bytes = FromBase64(value);
            if (bytes is null)
            {
                return Fail(parameter, "is neither an imageUUID, a data URI, an http(s) URL nor valid base64");
            }
        }

        if (!ImageCodec.TryDecode(bytes, out var bitmap, out var sourceFormat, out var decodeProblem))
        {
            return Fail(parameter, decodeProblem!);
        }

        using (bitmap)
        {
            return (new ResolvedImage(bytes, bitmap!.Width, bitmap.Height, ImageFormats.FromSkia(sourceFormat), null), null);
        }
    }

    private static (ResolvedImage?, RunwareError?) Fail(string parameter, string problem) =>
        (null, new RunwareError(ErrorCodes.InvalidFor(parameter), $"Invalid {parameter}: the image {problem}.", parameter));

    private static byte[]? FromBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer.AsSpan(0, written).ToArray() : null;
    }
}
