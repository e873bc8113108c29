using System.Text.Json.Nodes;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Tools;
using SkiaSharp;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Minimal image work (size normalisation only) used until the full preprocessing lands.
/// </summary>
public sealed class BasicImageWork : IImageWork
{
    public (int Width, int Height) ProbeSize(ReadOnlyMemory<byte> image)
    {
        using var data = SKData.CreateCopy(image.Span);
        using var codec = SKCodec.Create(data) ?? throw new PermanentFluxException(new FluxError(ErrorCodes.NotAnImage, "The input is not an image PNG, JPEG or WebP can read."));
        return (codec.Info.Width, codec.Info.Height);
    }

    public PreparedJobImages Prepare(ReadOnlyMemory<byte> image, ReadOnlyMemory<byte>? mask, EditSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (w, h) = ProbeSize(image);
        var (tw, th) = SizePlanner.Plan(w, h, spec.Width, spec.Height);
        var seed = w == tw && h == th
            ? new EncodedImage(image, ContentType(image), w, h, true)
            : new EncodedImage(Resize(image, tw, th), "image/png", tw, th, false);
        EncodedImage? preparedMask = mask is { } m ? new EncodedImage(Resize(m, tw, th), "image/png", tw, th, false) : null;
        return new PreparedJobImages(seed, preparedMask, w, h, tw, th, [], new JsonObject { ["resized"] = !seed.Passthrough });
    }

    public FinishedImage Finish(ReadOnlyMemory<byte> generated, ReadOnlyMemory<byte> original, ReadOnlyMemory<byte>? preparedMask, EditSpec spec, JsonObject? preparationReport)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (w, h) = ProbeSize(generated);
        return new FinishedImage(generated, spec.OutputFormat.ContentType(), w, h, null);
    }

    private static byte[] Resize(ReadOnlyMemory<byte> image, int width, int height)
    {
        using var source = SKBitmap.Decode(image.Span) ?? throw new PermanentFluxException(new FluxError(ErrorCodes.CorruptImage, "The image could not be decoded."));
        using var resized = source.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var encoded = resized.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    private static string ContentType(ReadOnlyMemory<byte> image)
    {
        var s = image.Span;
        if (s.Length > 3 && s[0] == 0xFF && s[1] == 0xD8)
        {
            return "image/jpeg";
        }

        if (s.Length > 12 && s[8] == (byte)'W' && s[9] == (byte)'E' && s[10] == (byte)'B' && s[11] == (byte)'P')
        {
            return "image/webp";
        }

        return "image/png";
    }
}
