using System.Runtime.InteropServices;
using SkiaSharp;

namespace FluxFunctions.Testing;

/// <summary>
/// Deterministic generated images for tests: photo-like scenes (gradients, blurred and sharp shapes, a textured
/// region, fine text-like strokes, sensor-like noise), simple geometric images and masks. All bitmaps are
/// <see cref="SKColorType.Rgba8888"/>; the caller disposes them.
/// </summary>
public static class TestImages
{
    /// <summary>A new empty RGBA bitmap.</summary>
    public static SKBitmap Create(int width, int height, bool opaque = true) =>
        new(new SKImageInfo(width, height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul));

    /// <summary>A scene that looks like a photograph to an edge detector; <paramref name="seed"/> varies it.</summary>
    public static SKBitmap PhotoLike(int width, int height, int seed)
    {
        var random = new Random(seed);
        var bitmap = Create(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            DrawBackground(canvas, width, height, random);
            DrawBlurredShapes(canvas, width, height, random);
            DrawTexture(canvas, width, height, random);
            DrawSharpShapes(canvas, width, height, random);
            DrawTextLikeStrokes(canvas, width, height, random);
        }

        AddNoise(bitmap, random, amplitude: 6);
        return bitmap;
    }

    /// <summary>A smooth two-colour diagonal gradient, differing everywhere from <see cref="PhotoLike"/> scenes.</summary>
    public static SKBitmap Gradient(int width, int height, SKColor from, SKColor to)
    {
        var bitmap = Create(width, height);
        using var canvas = new SKCanvas(bitmap);
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [from, to], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        canvas.DrawRect(0, 0, width, height, paint);
        return bitmap;
    }

    /// <summary>
    /// An image whose orientation is obvious: red top-left quadrant, green top-right, blue bottom-left, yellow
    /// bottom-right, on mid grey.
    /// </summary>
    public static SKBitmap Quadrants(int width, int height)
    {
        var bitmap = Create(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(128, 128, 128));
        using var paint = new SKPaint();
        float hw = width / 2f, hh = height / 2f;
        paint.Color = SKColors.Red;
        canvas.DrawRect(0, 0, hw, hh, paint);
        paint.Color = SKColors.Lime;
        canvas.DrawRect(hw, 0, width - hw, hh, paint);
        paint.Color = SKColors.Blue;
        canvas.DrawRect(0, hh, hw, height - hh, paint);
        paint.Color = SKColors.Yellow;
        canvas.DrawRect(hw, hh, width - hw, height - hh, paint);
        return bitmap;
    }

    /// <summary>A solid-colour image.</summary>
    public static SKBitmap Solid(int width, int height, SKColor color)
    {
        var bitmap = Create(width, height, color.Alpha == 255);
        bitmap.Erase(color);
        return bitmap;
    }

    /// <summary>A luminance mask: black with white (regenerate) rectangles.</summary>
    public static SKBitmap Mask(int width, int height, params SKRectI[] white)
    {
        var bitmap = Create(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Black);
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = false };
        foreach (var rect in white)
        {
            canvas.DrawRect(rect, paint);
        }

        return bitmap;
    }

    /// <summary>A colour-coded region mask (per-region prompts): black with rectangles each painted in its region's colour.</summary>
    public static SKBitmap ColorMask(int width, int height, params (SKRectI Rect, SKColor Color)[] regions)
    {
        var bitmap = Create(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Black);
        foreach (var (rect, color) in regions)
        {
            using var paint = new SKPaint { Color = color, IsAntialias = false };
            canvas.DrawRect(rect, paint);
        }

        return bitmap;
    }

    /// <summary>
    /// An alpha mask as drawing tools export it: transparent, with opaque strokes of <paramref name="color"/>
    /// where the image is to be regenerated (the colour itself does not matter).
    /// </summary>
    public static SKBitmap AlphaMask(int width, int height, SKColor color, params SKRectI[] opaque)
    {
        var bitmap = Create(width, height, opaque: false);
        bitmap.Erase(SKColors.Transparent);
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint { Color = color, IsAntialias = false };
        foreach (var rect in opaque)
        {
            canvas.DrawRect(rect, paint);
        }

        return bitmap;
    }

    /// <summary>The pixels of a 32-bit bitmap, one uint each (R in the lowest byte).</summary>
    public static uint[] PixelsOf(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.BytesPerPixel != 4 || bitmap.RowBytes != bitmap.Width * 4)
        {
            throw new ArgumentException("Expected a packed 32-bit bitmap.", nameof(bitmap));
        }

        return MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan()).ToArray();
    }

    /// <summary>Decodes any image to upright-agnostic RGBA (no EXIF handling: the stored pixels).</summary>
    public static SKBitmap DecodeRaw(byte[] encoded)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(encoded)) ?? throw new ArgumentException("Not decodable.", nameof(encoded));
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new ArgumentException($"Decoding failed: {result}.", nameof(encoded));
        }

        return bitmap;
    }

    private static void DrawBackground(SKCanvas canvas, int width, int height, Random random)
    {
        var angle = random.NextDouble() * Math.PI;
        var cx = width / 2f;
        var cy = height / 2f;
        var r = Math.Max(width, height) / 2f;
        var start = new SKPoint(cx - (float)(Math.Cos(angle) * r), cy - (float)(Math.Sin(angle) * r));
        var end = new SKPoint(cx + (float)(Math.Cos(angle) * r), cy + (float)(Math.Sin(angle) * r));
        using var linear = SKShader.CreateLinearGradient(start, end, [RandomColor(random, 40, 220), RandomColor(random, 40, 220), RandomColor(random, 40, 220)], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = linear };
        canvas.DrawRect(0, 0, width, height, paint);

        using var radial = SKShader.CreateRadialGradient(
            new SKPoint((float)(random.NextDouble() * width), (float)(random.NextDouble() * height)),
            r,
            [RandomColor(random, 60, 255).WithAlpha(150), SKColors.Transparent],
            SKShaderTileMode.Clamp);
        paint.Shader = radial;
        canvas.DrawRect(0, 0, width, height, paint);
    }

    private static void DrawBlurredShapes(SKCanvas canvas, int width, int height, Random random)
    {
        var scale = Math.Min(width, height);
        for (var i = 0; i < 10; i++)
        {
            using var blur = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, (float)(1 + (random.NextDouble() * scale / 40)));
            using var paint = new SKPaint { Color = RandomColor(random, 0, 255).WithAlpha((byte)random.Next(120, 256)), MaskFilter = blur, IsAntialias = true };
            var x = (float)(random.NextDouble() * width);
            var y = (float)(random.NextDouble() * height);
            var rx = (float)(scale * (0.05 + (random.NextDouble() * 0.2)));
            var ry = (float)(scale * (0.05 + (random.NextDouble() * 0.2)));
            if (i % 2 == 0)
            {
                canvas.DrawOval(x, y, rx, ry, paint);
            }
            else
            {
                canvas.Save();
                canvas.RotateDegrees((float)(random.NextDouble() * 90), x, y);
                canvas.DrawRect(x - rx, y - ry, 2 * rx, 2 * ry, paint);
                canvas.Restore();
            }
        }
    }

    private static void DrawTexture(SKCanvas canvas, int width, int height, Random random)
    {
        var rect = SKRect.Create((float)(random.NextDouble() * width * 0.5), (float)(random.NextDouble() * height * 0.5), width * 0.4f, height * 0.35f);
        using var noise = SKShader.CreatePerlinNoiseFractalNoise(0.08f, 0.12f, 3, random.Next(1000));
        using var paint = new SKPaint { Shader = noise };
        canvas.DrawRect(rect, paint);

        // Fine woven stripes over part of it (a fabric- or brick-like texture).
        paint.Shader = null;
        paint.Color = RandomColor(random, 0, 120).WithAlpha(170);
        paint.StrokeWidth = 1.5f;
        paint.IsAntialias = true;
        for (var x = rect.Left; x < rect.MidX; x += 4)
        {
            canvas.DrawLine(x, rect.Top, x + (rect.Height * 0.2f), rect.Bottom, paint);
        }
    }

    private static void DrawSharpShapes(SKCanvas canvas, int width, int height, Random random)
    {
        using var paint = new SKPaint { IsAntialias = true };
        for (var i = 0; i < 4; i++)
        {
            paint.Color = RandomColor(random, 0, 255);
            using var builder = new SKPathBuilder();
            builder.MoveTo((float)(random.NextDouble() * width), (float)(random.NextDouble() * height));
            for (var k = 0; k < 4; k++)
            {
                builder.LineTo((float)(random.NextDouble() * width), (float)(random.NextDouble() * height));
            }

            builder.Close();
            using var path = builder.Detach();
            canvas.Save();
            canvas.Scale(0.5f, 0.5f, (float)(random.NextDouble() * width), (float)(random.NextDouble() * height));
            canvas.DrawPath(path, paint);
            canvas.Restore();
        }
    }

    private static void DrawTextLikeStrokes(SKCanvas canvas, int width, int height, Random random)
    {
        // Lines of "words": glyph-sized strokes, verticals, diagonals and small arcs, dark on a light panel.
        var panel = SKRect.Create(width * 0.52f, height * 0.55f, width * 0.44f, height * 0.38f);
        using var paint = new SKPaint { Color = new SKColor(245, 240, 228), IsAntialias = true };
        canvas.DrawRect(panel, paint);
        paint.Color = new SKColor(30, 30, 40);
        paint.Style = SKPaintStyle.Stroke;
        var glyph = Math.Max(5f, Math.Min(width, height) / 70f);
        paint.StrokeWidth = Math.Max(1f, glyph / 6f);
        for (var y = panel.Top + (glyph * 1.5f); y < panel.Bottom - glyph; y += glyph * 1.8f)
        {
            var x = panel.Left + glyph;
            while (x < panel.Right - (glyph * 2))
            {
                var letters = random.Next(2, 8);
                for (var l = 0; l < letters && x < panel.Right - glyph; l++)
                {
                    switch (random.Next(4))
                    {
                        case 0:
                            canvas.DrawLine(x, y, x, y - glyph, paint);
                            break;
                        case 1:
                            canvas.DrawLine(x, y, x + (glyph * 0.6f), y - glyph, paint);
                            break;
                        case 2:
                            canvas.DrawArc(SKRect.Create(x, y - (glyph * 0.7f), glyph * 0.6f, glyph * 0.7f), 0, 300, false, paint);
                            break;
                        default:
                            canvas.DrawLine(x, y - (glyph * 0.5f), x + (glyph * 0.6f), y - (glyph * 0.5f), paint);
                            canvas.DrawLine(x + (glyph * 0.3f), y, x + (glyph * 0.3f), y - glyph, paint);
                            break;
                    }

                    x += glyph * 0.85f;
                }

                x += glyph * 1.2f;
            }
        }
    }

    private static void AddNoise(SKBitmap bitmap, Random random, int amplitude)
    {
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i++)
        {
            if ((i & 3) == 3)
            {
                continue; // alpha
            }

            var n = random.Next(-amplitude, amplitude + 1) + random.Next(-amplitude, amplitude + 1);
            pixels[i] = (byte)Math.Clamp(pixels[i] + (n / 2), 0, 255);
        }
    }

    private static SKColor RandomColor(Random random, int min, int max) =>
        new((byte)random.Next(min, max), (byte)random.Next(min, max), (byte)random.Next(min, max));
}
