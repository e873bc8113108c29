using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Net;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Api;

/// <summary>An input image loaded and checked: a PNG, JPEG or WebP whose header size is within the pixel budget.</summary>
/// <param name="Field"><c>image</c> or <c>mask</c>.</param>
/// <param name="Bytes">The file as given (never altered).</param>
/// <param name="Format"><c>png</c>, <c>jpg</c> or <c>webp</c>.</param>
/// <param name="Width">Width from the header.</param>
/// <param name="Height">Height from the header.</param>
/// <param name="Name">A name hint from the file name, URL or blob (null when none).</param>
public sealed record LoadedImage(string Field, byte[] Bytes, string Format, int Width, int Height, string? Name)
{
    public string ContentType => ImageSniffer.ContentType(Format);
}

/// <summary>
/// Loads an image from its source (upload, data URI, base64, SSRF-safe URL download, input or work blob) and checks it at
/// the door: not empty, a supported format by its bytes, the declared pixel size within <c>Flux__MaxInputPixels</c>
/// (decompression bombs are refused from the header, before decoding). Problems are
/// <see cref="PermanentFluxException"/> naming the field.
/// </summary>
public sealed class ImageInputLoader(SafeHttpFetcher fetcher, FluxStorage storage, IImageWork images, UrlGuard guard, IOptions<FluxOptions> options)
{
    /// <summary>The checks that need no I/O (throws on a bad source).</summary>
    public ImageSource Parse(ImageInput input) => ImageSourceParser.Parse(input, guard, options.Value);

    /// <summary>Loads and checks the image.</summary>
    public async Task<LoadedImage> LoadAsync(ImageSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var field = source.Field;
        var max = options.Value.MaxInputBytes;
        byte[] bytes;
        switch (source.Kind)
        {
            case ImageSourceKind.Url:
                bytes = (await fetcher.FetchImageAsync(source.Url!, field, max, cancellationToken).ConfigureAwait(false)).Data;
                break;
            case ImageSourceKind.Blob:
                try
                {
                    bytes = (await storage.ReadAsync(source.Blob!, max, cancellationToken).ConfigureAwait(false)).Data.ToArray();
                }
                catch (PermanentFluxException ex)
                {
                    throw new PermanentFluxException(ex.First with { Parameter = field });
                }

                break;
            default:
                bytes = source.Bytes ?? [];
                break;
        }

        return Check(field, bytes, source.Name);
    }

    private LoadedImage Check(string field, byte[] bytes, string? name)
    {
        if (bytes.Length == 0)
        {
            throw Fail(ErrorCodes.EmptyImage, $"'{field}' is empty (0 bytes).", field);
        }

        var format = ImageSniffer.Sniff(bytes);
        if (format is null)
        {
            throw Fail(ErrorCodes.NotAnImage, $"'{field}' is not an image: its bytes are not PNG, JPEG or WebP.", field);
        }

        if (!ImageSniffer.IsSupported(format))
        {
            throw Fail(ErrorCodes.UnsupportedImageFormat, $"'{field}' is a {format.ToUpperInvariant()} image; send PNG, JPEG or WebP.", field);
        }

        // The header's claim first: a decompression bomb is refused before any decoder sees it.
        var maxPixels = options.Value.MaxInputPixels;
        if (ImageHeader.TryReadSize(bytes, format) is { } declared && declared.Width * declared.Height > maxPixels)
        {
            throw TooLarge(field, declared.Width, declared.Height, maxPixels);
        }

        int width, height;
        try
        {
            (width, height) = images.ProbeSize(bytes);
        }
        catch (PermanentFluxException ex)
        {
            throw new PermanentFluxException(ex.First with { Parameter = field, Message = $"'{field}': {ex.First.Message}" });
        }

        if (width <= 0 || height <= 0)
        {
            throw Fail(ErrorCodes.CorruptImage, $"'{field}' declares an empty size ({width}×{height}).", field);
        }

        if ((long)width * height > maxPixels)
        {
            throw TooLarge(field, width, height, maxPixels);
        }

        return new LoadedImage(field, bytes, format, width, height, name);
    }

    private static PermanentFluxException TooLarge(string field, long width, long height, long maxPixels) =>
        Fail(ErrorCodes.ImageTooLarge, $"'{field}' is {width}×{height} = {width * height} pixels; the limit is {maxPixels} (Flux__MaxInputPixels).", field);

    private static PermanentFluxException Fail(string code, string message, string field) => new(new FluxError(code, message, field));
}
