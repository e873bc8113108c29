using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>Inputs for the pipeline scenarios: photo-like JPEGs (quality 90) and a Fill mask (a white disc on black, PNG).</summary>
internal static class BenchImages
{
    public static byte[] Photo(int size, int seed)
    {
        using var bitmap = TestImages.PhotoLike(size, size, seed);
        return TestFiles.Jpeg(bitmap, 90);
    }

    public static byte[] Mask(int size)
    {
        using var bitmap = TestImages.Create(size, size);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
            canvas.DrawCircle(size * 0.55f, size * 0.5f, size * 0.18f, paint);
        }

        return TestFiles.Png(bitmap);
    }

    /// <summary>One job of <paramref name="tool"/> on <paramref name="image"/>; sizes follow the input unless given.</summary>
    public static JobInput Job(string tool, string name, byte[] image, byte[]? mask, int? size = null)
    {
        var dims = size is { } s ? $", \"width\": {s}, \"height\": {s}" : "";
        var options = tool switch
        {
            "fill" => $$"""{"tool": "fill", "prompt": "a red bicycle leaning on the wall", "seed": 7{{dims}}}""",
            "canny" => $$"""{"tool": "canny", "prompt": "a watercolour village at sunset", "seed": 7{{dims}}}""",
            "depth" => $$"""{"tool": "depth", "prompt": "a snowy alpine valley at dawn", "seed": 7{{dims}}}""",
            _ => $$"""{"tool": "redux", "seed": 7{{dims}}}""",
        };
        return new JobInput(tool, name, image, tool == "fill" ? mask : null, options);
    }

    public static readonly string[] Tools = ["fill", "canny", "depth", "redux"];
}
