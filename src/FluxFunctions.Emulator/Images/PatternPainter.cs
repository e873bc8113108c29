using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>Paints the seed-derived "generated content": a smooth gradient and a few shapes (no text, no fonts).</summary>
internal static class PatternPainter
{
    /// <summary>A new opaque bitmap with the pattern of <paramref name="random"/>.</summary>
    public static SKBitmap Paint(int width, int height, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bitmap = PixelOps.NewCanvasBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);

        var start = new SKPoint(random.NextFloat(0, width), random.NextFloat(0, height));
        var end = new SKPoint(random.NextFloat(0, width), random.NextFloat(0, height));
        if (SKPoint.Distance(start, end) < Math.Min(width, height) / 4f)
        {
            end = new SKPoint(width - start.X, height - start.Y + 1);
        }

        using (var shader = SKShader.CreateLinearGradient(start, end, [random.NextColor(), random.NextColor(), random.NextColor()], SKShaderTileMode.Mirror))
        using (var background = new SKPaint { Shader = shader, IsAntialias = true })
        {
            canvas.DrawRect(0, 0, width, height, background);
        }

        var shortSide = Math.Min(width, height);
        var shapes = random.Next(3, 7);
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        for (var i = 0; i < shapes; i++)
        {
            paint.Color = random.NextColor(alpha: (byte)random.Next(150, 231));
            var x = random.NextFloat(0, width);
            var y = random.NextFloat(0, height);
            var size = random.NextFloat(0.08f, 0.35f) * shortSide;
            switch (random.Next(0, 3))
            {
                case 0:
                    canvas.DrawCircle(x, y, size / 2, paint);
                    break;
                case 1:
                    canvas.DrawRect(x - (size / 2), y - (size / 3), size, size * 2 / 3, paint);
                    break;
                default:
                    canvas.DrawRoundRect(new SKRect(x - (size / 2), y - (size / 2), x + (size / 2), y + (size / 2)), size / 5, size / 5, paint);
                    break;
            }
        }

        canvas.Flush();
        PixelOps.MakeOpaque(bitmap);
        return bitmap;
    }
}
