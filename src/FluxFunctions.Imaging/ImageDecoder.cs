using System.Numerics;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// Decodes PNG, JPEG and WebP after <see cref="ImageProbe"/>'s header checks: EXIF orientation applied, pixels as
/// unpremultiplied RGBA (no colour conversion: values are as stored, the file's colour profile travels with the
/// bitmap). A file that ends early or has damaged data is refused with <c>corruptImage</c>, never half-decoded.
/// </summary>
public static class ImageDecoder
{
    /// <exception cref="Errors.PermanentFluxException">Any error of <see cref="ImageProbe.Probe(ReadOnlySpan{byte}, ImageLimits, string)"/>, or corruptImage.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, ImageLimits limits, string parameter = "image")
    {
        using var opened = ImageProbe.Open(data, limits, parameter);
        var codec = opened.Codec;
        var header = codec.Info;
        var alpha = header.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul;
        var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, alpha, header.ColorSpace);
        var stored = new SKBitmap(info);
        try
        {
            var result = codec.GetPixels(info, stored.GetPixels());
            if (result != SKCodecResult.Success)
            {
                throw ImageErrors.Corrupt(ImageErrors.Noun(parameter), parameter, opened.Info.Format.Name(), Describe(result));
            }

            var upright = Orientation.ToUpright(stored, opened.Info.ExifOrientation);
            if (!ReferenceEquals(upright, stored))
            {
                stored.Dispose();
            }

            var transparent = alpha != SKAlphaType.Opaque && AnyTransparent(upright);
            return new DecodedImage(upright, opened.Info, transparent);
        }
        catch
        {
            stored.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks that an image decodes, as <see cref="Decode"/> would, without keeping its pixels: a JPEG or WebP is decoded
    /// at an eighth of its width and height (every byte of its data is still read and entropy-decoded, so a file that ends
    /// early or has damaged data is refused the same way), a PNG (which cannot be decoded smaller) whole into a buffer
    /// dropped at once. For an input sent on as it came, whose pixels are never used: a 2048² JPEG costs 256 KiB here
    /// instead of a 16 MiB bitmap.
    /// </summary>
    /// <exception cref="Errors.PermanentFluxException">Any error of <see cref="ImageProbe.Probe(ReadOnlySpan{byte}, ImageLimits, string)"/>, or corruptImage.</exception>
    public static ImageInfo Verify(ReadOnlySpan<byte> data, ImageLimits limits, string parameter = "image")
    {
        using var opened = ImageProbe.Open(data, limits, parameter);
        var codec = opened.Codec;
        var header = codec.Info;
        var size = codec.GetScaledDimensions(1 / 8f);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, header.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul, header.ColorSpace);
        using var scaled = new SKBitmap(info);
        var result = codec.GetPixels(info, scaled.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw ImageErrors.Corrupt(ImageErrors.Noun(parameter), parameter, opened.Info.Format.Name(), Describe(result));
        }

        return opened.Info;
    }

    /// <summary>Whether any pixel of a 32-bit RGBA bitmap has alpha below 255.</summary>
    internal static bool AnyTransparent(SKBitmap bitmap)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan());
        var mask = new Vector<uint>(0xFF000000u);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= pixels.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                if (!Vector.EqualsAll(new Vector<uint>(pixels[i..]) & mask, mask))
                {
                    return true;
                }
            }
        }

        for (; i < pixels.Length; i++)
        {
            if ((pixels[i] & 0xFF000000u) != 0xFF000000u)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file ends before all its pixels",
        SKCodecResult.ErrorInInput => "its pixel data is damaged",
        _ => $"decoding failed ({result})",
    };
}
