using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Api;

/// <summary>An input image loaded and checked from its header: a PNG, JPEG or WebP within the size and pixel limits.</summary>
/// <param name="Field"><c>image</c> or <c>mask</c>.</param>
/// <param name="Bytes">The file as given (never altered).</param>
/// <param name="Info">What its header says (format, size, orientation).</param>
/// <param name="Name">A name hint from the file name, URL or blob (null when none).</param>
public sealed record LoadedImage(string Field, byte[] Bytes, ImageInfo Info, string? Name)
{
    public string ContentType => Info.ContentType;

    /// <summary><c>png</c>, <c>jpg</c> or <c>webp</c>.</summary>
    public string Extension => Info.Format switch
    {
        ImageFileFormat.Jpeg => "jpg",
        ImageFileFormat.Webp => "webp",
        _ => "png",
    };
}

/// <summary>
/// Loads an image from its source (upload, data URI, base64, SSRF-safe URL download, input or work blob) and checks it at
/// the door with <see cref="ImageProbe"/>: not empty, PNG/JPEG/WebP by its bytes, within <c>Flux__MaxInputBytes</c>
/// and <c>Flux__MaxInputPixels</c> (decompression bombs are refused from the header, before decoding). Problems are
/// <see cref="PermanentFluxException"/> naming the field. Damage after a valid header is found when the job decodes it.
/// </summary>
public sealed class ImageInputLoader(SafeHttpFetcher fetcher, FluxStorage storage, ImageWork images, UrlGuard guard, IOptions<FluxOptions> options)
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

        var info = ImageProbe.Probe(bytes, images.Limits, field);
        return new LoadedImage(field, bytes, info, source.Name);
    }
}
