using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// Emulated FLUX.1 Canny and Depth: the guide (edge or depth map) resized to the output and colourised through a
/// seed-derived three-colour palette, so the structure of the guide is visible in the result.
/// </summary>
internal static class GuideTinter
{
    /// <summary>Renders one result.</summary>
    public static SKBitmap Render(SKBitmap guide, int width, int height, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(guide);
        ArgumentNullException.ThrowIfNull(random);
        var dark = random.NextColor(0, 90);
        var middle = random.NextColor(60, 200);
        var bright = random.NextColor(170, 255);
        var palette = new byte[256 * 3];
        for (var level = 0; level < 256; level++)
        {
            var (from, to, t) = level < 128 ? (dark, middle, level / 127f) : (middle, bright, (level - 128) / 127f);
            palette[level * 3] = Lerp(from.Red, to.Red, t);
            palette[(level * 3) + 1] = Lerp(from.Green, to.Green, t);
            palette[(level * 3) + 2] = Lerp(from.Blue, to.Blue, t);
        }

        using var resized = PixelOps.Resize(guide, width, height);
        var luminance = PixelOps.Luminance(resized);
        var result = PixelOps.NewCanvasBitmap(width, height);
        var output = result.GetPixelSpan();
        for (int i = 0, p = 0; i < luminance.Length; i++, p += 4)
        {
            var entry = luminance[i] * 3;
            output[p] = palette[entry];
            output[p + 1] = palette[entry + 1];
            output[p + 2] = palette[entry + 2];
            output[p + 3] = 255;
        }

        return result;
    }

    private static byte Lerp(byte from, byte to, float t) => (byte)MathF.Round(from + ((to - from) * t));
}
