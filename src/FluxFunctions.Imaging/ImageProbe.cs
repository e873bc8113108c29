using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// Reads what an image file is from its header alone: format, size, EXIF orientation. Refuses, with a specific
/// error code, empty files, non-images, unsupported formats, damaged headers and images outside the
/// <see cref="ImageLimits"/>; pixels are never decoded here, so a decompression bomb costs a few kilobytes.
/// Truncation after a valid header is found when decoding (<see cref="ImageDecoder"/>).
/// </summary>
public static class ImageProbe
{
    /// <summary>Probes <paramref name="data"/> as the job's image (errors name the parameter <c>image</c>).</summary>
    /// <exception cref="Errors.PermanentFluxException">emptyImage, notAnImage, unsupportedImageFormat, corruptImage, imageTooLarge or imageTooSmall.</exception>
    public static ImageInfo Probe(ReadOnlySpan<byte> data, ImageLimits limits) => Probe(data, limits, "image");

    /// <summary>Probes <paramref name="data"/>; <paramref name="parameter"/> (<c>image</c> or <c>mask</c>) names it in errors.</summary>
    /// <exception cref="Errors.PermanentFluxException">emptyImage, notAnImage, unsupportedImageFormat, corruptImage, imageTooLarge or imageTooSmall.</exception>
    public static ImageInfo Probe(ReadOnlySpan<byte> data, ImageLimits limits, string parameter)
    {
        using var opened = Open(data, limits, parameter);
        return opened.Info;
    }

    /// <summary>Checks the file and opens a codec on a copy of it; the caller disposes the codec.</summary>
    internal static OpenedCodec Open(ReadOnlySpan<byte> data, ImageLimits limits, string parameter)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentException.ThrowIfNullOrEmpty(parameter);
        var noun = ImageErrors.Noun(parameter);
        if (data.IsEmpty)
        {
            throw ImageErrors.Empty(noun, parameter);
        }

        if (data.Length > limits.MaxBytes)
        {
            throw ImageErrors.TooManyBytes(noun, parameter, data.Length, limits.MaxBytes);
        }

        var sniffed = ImageSniffer.Sniff(data);
        if (sniffed.Truncated)
        {
            throw ImageErrors.Corrupt(noun, parameter, "cut off", $"only {data.Length} bytes, not even a complete file signature");
        }

        if (sniffed.Supported is not { } format)
        {
            throw sniffed.OtherIsImage
                ? ImageErrors.Unsupported(noun, parameter, sniffed.Other!)
                : ImageErrors.NotAnImage(noun, parameter, sniffed.Other);
        }

        var skData = SKData.CreateCopy(data);
        var codec = SKCodec.Create(new SKMemoryStream(skData), out var result);
        if (codec is null)
        {
            skData.Dispose();
            throw ImageErrors.Corrupt(
                noun,
                parameter,
                format.Name(),
                result == SKCodecResult.IncompleteInput ? "the file ends inside its header" : "its header cannot be read");
        }

        try
        {
            var header = codec.Info;
            var origin = (int)codec.EncodedOrigin;
            var info = new ImageInfo(
                format,
                header.Width,
                header.Height,
                origin is >= 1 and <= 8 ? origin : 1,
                header.AlphaType != SKAlphaType.Opaque,
                format == ImageFileFormat.Png || (format == ImageFileFormat.Webp && ImageSniffer.IsLosslessWebp(data)));

            if (info.Pixels > limits.MaxPixels)
            {
                throw ImageErrors.TooManyPixels(noun, parameter, info.Width, info.Height, limits.MaxPixels);
            }

            if (info.Width < limits.MinSide || info.Height < limits.MinSide)
            {
                throw ImageErrors.TooSmall(noun, parameter, info.UprightWidth, info.UprightHeight, limits.MinSide);
            }

            return new OpenedCodec(codec, skData, info);
        }
        catch
        {
            codec.Dispose();
            skData.Dispose();
            throw;
        }
    }

    /// <summary>A codec positioned on an image that passed the header checks.</summary>
    internal sealed class OpenedCodec(SKCodec codec, SKData data, ImageInfo info) : IDisposable
    {
        public SKCodec Codec { get; } = codec;

        public ImageInfo Info { get; } = info;

        public void Dispose()
        {
            Codec.Dispose();
            data.Dispose();
        }
    }
}
