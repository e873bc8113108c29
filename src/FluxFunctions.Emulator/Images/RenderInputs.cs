using FluxFunctions.Emulator.Validation;
using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>The decoded input images of one inference, decoded once for all its results.</summary>
internal sealed class RenderInputs : IDisposable
{
    private RenderInputs(SKBitmap? seed, SKBitmap? mask, SKBitmap? guide)
    {
        Seed = seed;
        Mask = mask;
        Guide = guide;
    }

    /// <summary>The seed image (Fill's image, Canny's edge map, Depth's depth map, or an image-to-image start).</summary>
    public SKBitmap? Seed { get; }

    /// <summary>The inpainting mask (white = regenerate).</summary>
    public SKBitmap? Mask { get; }

    /// <summary>The Redux guide.</summary>
    public SKBitmap? Guide { get; }

    /// <summary>Decodes the request's images.</summary>
    public static RenderInputs Decode(InferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SKBitmap? seed = null, mask = null;
        try
        {
            seed = request.SeedImage is { } s ? ImageCodec.Decode(s.Bytes) : null;
            mask = request.MaskImage is { } m ? ImageCodec.Decode(m.Bytes) : null;
            var guide = request.GuideImage is { } g ? ImageCodec.Decode(g.Bytes) : null;
            return new RenderInputs(seed, mask, guide);
        }
        catch
        {
            seed?.Dispose();
            mask?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Seed?.Dispose();
        Mask?.Dispose();
        Guide?.Dispose();
    }
}
