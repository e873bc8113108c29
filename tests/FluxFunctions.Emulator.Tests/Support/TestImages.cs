using SkiaSharp;

namespace FluxFunctions.Emulator.Tests.Support;

/// <summary>Real images made with SkiaSharp for the tests.</summary>
public static class TestImages
{
    /// <summary>A PNG of one colour.</summary>
    public static byte[] Solid(int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(color);
        return Encode(bitmap);
    }

    /// <summary>A PNG with a smooth diagonal gradient whose channels stay within [40, 200] (no clamping when shifted).</summary>
    public static byte[] Gradient(int width, int height, int phase = 0)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor(
                    (byte)(40 + ((x + phase) * 160 / width % 160)),
                    (byte)(40 + (y * 160 / height)),
                    (byte)(40 + (((x + y + phase) * 80 / (width + height)) % 160))));
            }
        }

        return Encode(bitmap);
    }

    /// <summary>A black PNG with a white rectangle (the area to regenerate).</summary>
    public static byte[] Mask(int width, int height, SKRectI white)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(SKColors.Black);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.White })
        {
            canvas.DrawRect(new SKRect(white.Left, white.Top, white.Right, white.Bottom), paint);
        }

        return Encode(bitmap);
    }

    /// <summary>A PNG: a square of <paramref name="inner"/> on <paramref name="outer"/>, centred, half the size.</summary>
    public static byte[] Square(int size, SKColor outer, SKColor inner)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(outer);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = inner })
        {
            canvas.DrawRect(size / 4f, size / 4f, size / 2f, size / 2f, paint);
        }

        return Encode(bitmap);
    }

    /// <summary>Decodes an image (PNG, JPG, WEBP) or fails the test.</summary>
    public static SKBitmap Decode(byte[] bytes)
    {
        var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    /// <summary>A data URI of a PNG.</summary>
    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static byte[] Encode(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
