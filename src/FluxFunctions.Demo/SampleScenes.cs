using SkiaSharp;

namespace FluxFunctions.Demo;

/// <summary>The demo's sample inputs, drawn deterministically (no files to ship, no fonts needed).</summary>
internal static class SampleScenes
{
    /// <summary>A landscape: sky gradient, sun, layered hills, a house and trees.</summary>
    public static byte[] Landscape(int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Jpeg)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var sky = new SKPaint
            {
                Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, height * 0.7f), [new SKColor(70, 130, 200), new SKColor(250, 210, 160)], SKShaderTileMode.Clamp),
            };
            canvas.DrawRect(0, 0, width, height, sky);
            using var sun = new SKPaint { Color = new SKColor(255, 236, 170), IsAntialias = true };
            canvas.DrawCircle(width * 0.78f, height * 0.22f, height * 0.08f, sun);
            DrawHill(canvas, width, height, 0.55f, new SKColor(96, 140, 90));
            DrawHill(canvas, width, height, 0.68f, new SKColor(70, 115, 65));
            DrawHouse(canvas, width * 0.30f, height * 0.52f, height * 0.22f);
            for (var i = 0; i < 5; i++)
            {
                DrawTree(canvas, width * (0.55f + (0.08f * i)), height * (0.66f + (0.02f * (i % 2))), height * 0.12f);
            }

            AddGrain(bitmap, 6, 1234);
        }

        using var data = bitmap.Encode(format, 92);
        return data.ToArray();
    }

    /// <summary>A still life for Redux: a bowl of fruit on a table.</summary>
    public static byte[] StillLife(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(235, 225, 210));
            using var table = new SKPaint { Color = new SKColor(140, 95, 60) };
            canvas.DrawRect(0, height * 0.62f, width, height, table);
            using var bowl = new SKPaint { Color = new SKColor(60, 90, 150), IsAntialias = true };
            canvas.DrawOval(width * 0.5f, height * 0.62f, width * 0.28f, height * 0.12f, bowl);
            var fruit = new[] { new SKColor(210, 40, 40), new SKColor(240, 170, 40), new SKColor(110, 170, 60), new SKColor(150, 60, 130) };
            for (var i = 0; i < 7; i++)
            {
                using var p = new SKPaint { Color = fruit[i % fruit.Length], IsAntialias = true };
                canvas.DrawCircle(width * (0.34f + (0.055f * i)), height * (0.52f - (0.04f * (i % 3))), height * 0.07f, p);
            }

            AddGrain(bitmap, 5, 99);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A Fill mask for <see cref="Landscape"/>: white over the house (regenerate it), black elsewhere.</summary>
    public static byte[] HouseMask(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            using var white = new SKPaint { Color = SKColors.White, IsAntialias = false };
            var s = height * 0.22f;
            canvas.DrawRect((width * 0.30f) - (s * 0.75f), (height * 0.52f) - (s * 0.9f), s * 1.5f, s * 1.5f, white);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void DrawHill(SKCanvas canvas, int width, int height, float level, SKColor color)
    {
        using var builder = new SKPathBuilder();
        builder.MoveTo(0, height);
        builder.LineTo(0, height * level);
        for (var x = 0; x <= width; x += Math.Max(1, width / 24))
        {
            builder.LineTo(x, (height * level) + (float)(Math.Sin((x / (double)width * 6.0) + (level * 10)) * height * 0.04));
        }

        builder.LineTo(width, (height * level) + (float)(Math.Sin(6.0 + (level * 10)) * height * 0.04));
        builder.LineTo(width, height);
        builder.Close();
        using var path = builder.Detach();
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        canvas.DrawPath(path, paint);
    }

    private static void DrawHouse(SKCanvas canvas, float cx, float baseY, float size)
    {
        using var wall = new SKPaint { Color = new SKColor(225, 215, 190), IsAntialias = true };
        using var roof = new SKPaint { Color = new SKColor(150, 60, 50), IsAntialias = true };
        using var dark = new SKPaint { Color = new SKColor(80, 60, 50), IsAntialias = true };
        canvas.DrawRect(cx - (size * 0.5f), baseY - (size * 0.5f), size, size * 0.55f, wall);
        using var roofBuilder = new SKPathBuilder();
        roofBuilder.MoveTo(cx - (size * 0.62f), baseY - (size * 0.48f));
        roofBuilder.LineTo(cx, baseY - (size * 0.9f));
        roofBuilder.LineTo(cx + (size * 0.62f), baseY - (size * 0.48f));
        roofBuilder.Close();
        using var roofPath = roofBuilder.Detach();
        canvas.DrawPath(roofPath, roof);
        canvas.DrawRect(cx - (size * 0.08f), baseY - (size * 0.2f), size * 0.16f, size * 0.25f, dark);
        canvas.DrawRect(cx - (size * 0.38f), baseY - (size * 0.38f), size * 0.16f, size * 0.14f, dark);
        canvas.DrawRect(cx + (size * 0.22f), baseY - (size * 0.38f), size * 0.16f, size * 0.14f, dark);
    }

    private static void DrawTree(SKCanvas canvas, float x, float baseY, float size)
    {
        using var trunk = new SKPaint { Color = new SKColor(100, 70, 40), IsAntialias = true };
        using var crown = new SKPaint { Color = new SKColor(40, 95, 45), IsAntialias = true };
        canvas.DrawRect(x - (size * 0.06f), baseY - (size * 0.4f), size * 0.12f, size * 0.4f, trunk);
        canvas.DrawCircle(x, baseY - (size * 0.6f), size * 0.3f, crown);
    }

    private static void AddGrain(SKBitmap bitmap, int amplitude, int seed)
    {
        var random = new Random(seed);
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                var n = random.Next(-amplitude, amplitude + 1);
                bitmap.SetPixel(x, y, new SKColor(Clamp(c.Red + n), Clamp(c.Green + n), Clamp(c.Blue + n), c.Alpha));
            }
        }
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
