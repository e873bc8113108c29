using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>Small deterministic pixel helpers over RGBA 8888 bitmaps.</summary>
internal static class PixelOps
{
    /// <summary>A new opaque black RGBA bitmap.</summary>
    public static SKBitmap NewCanvasBitmap(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(SKColors.Black);
        return bitmap;
    }

    /// <summary>
    /// Draws <paramref name="source"/> into <paramref name="target"/> stretched to <paramref name="rect"/> (whole target when
    /// null) over black. A same-size draw at the origin copies the pixels exactly.
    /// </summary>
    public static void DrawStretched(SKBitmap target, SKBitmap source, SKRectI? rect = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        var dest = rect ?? new SKRectI(0, 0, target.Width, target.Height);
        using var canvas = new SKCanvas(target);
        using var paint = new SKPaint { BlendMode = SKBlendMode.SrcOver };
        canvas.DrawBitmap(source, new SKRect(dest.Left, dest.Top, dest.Right, dest.Bottom), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
    }

    /// <summary>A new bitmap of the given size holding <paramref name="source"/> stretched over black.</summary>
    public static SKBitmap Resize(SKBitmap source, int width, int height)
    {
        var result = NewCanvasBitmap(width, height);
        DrawStretched(result, source);
        return result;
    }

    /// <summary>Luminance (0–255) of every pixel, row-major.</summary>
    public static byte[] Luminance(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        var pixels = bitmap.GetPixelSpan();
        var gray = new byte[bitmap.Width * bitmap.Height];
        for (int i = 0, p = 0; i < gray.Length; i++, p += 4)
        {
            gray[i] = (byte)((54 * pixels[p] + 183 * pixels[p + 1] + 19 * pixels[p + 2] + 128) >> 8);
        }

        return gray;
    }

    /// <summary>An opaque RGBA bitmap showing a gray map (white = 255).</summary>
    public static SKBitmap FromGray(byte[] gray, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(gray);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var pixels = bitmap.GetPixelSpan();
        for (int i = 0, p = 0; i < gray.Length; i++, p += 4)
        {
            pixels[p] = pixels[p + 1] = pixels[p + 2] = gray[i];
            pixels[p + 3] = 255;
        }

        return bitmap;
    }

    /// <summary>Makes every pixel fully opaque (outputs never carry transparency).</summary>
    public static void MakeOpaque(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        var pixels = bitmap.GetPixelSpan();
        for (var p = 3; p < pixels.Length; p += 4)
        {
            pixels[p] = 255;
        }
    }

    /// <summary>Clamps to a byte.</summary>
    public static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
