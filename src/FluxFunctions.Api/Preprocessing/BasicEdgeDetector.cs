using FluxFunctions.Core.Errors;
using SkiaSharp;

namespace FluxFunctions.Api.Preprocessing;

/// <summary>
/// A compact Canny (grey → 3×3 Gaussian → Sobel → non-maximum suppression → double threshold with hysteresis), used until
/// the full implementation in <c>FluxFunctions.Core.Imaging</c> is wired in behind <see cref="ILocalEdgeDetector"/>.
/// </summary>
public sealed class BasicEdgeDetector : ILocalEdgeDetector
{
    public byte[] DetectEdges(ReadOnlyMemory<byte> image, int width, int height, int lowThreshold, int highThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        using var decoded = SKBitmap.Decode(image.Span)
            ?? throw new PermanentFluxException(new FluxError(ErrorCodes.CorruptImage, "'image' could not be decoded.", "image"));
        using var scaled = decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new PermanentFluxException(new FluxError(ErrorCodes.CorruptImage, "'image' could not be scaled.", "image"));

        var grey = Grey(scaled);
        var blurred = Blur(grey, width, height);
        var (magnitude, direction) = Gradients(blurred, width, height);
        var thin = Suppress(magnitude, direction, width, height);
        var edges = Hysteresis(thin, width, height, lowThreshold, highThreshold);

        using var output = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(edges, 0, output.GetPixels(), edges.Length);
        using var data = output.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static float[] Grey(SKBitmap bitmap)
    {
        var pixels = bitmap.Pixels;
        var grey = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            grey[i] = (0.299f * p.Red) + (0.587f * p.Green) + (0.114f * p.Blue);
        }

        return grey;
    }

    private static float[] Blur(float[] src, int w, int h)
    {
        ReadOnlySpan<float> k = [1, 2, 1, 2, 4, 2, 1, 2, 1];
        var dst = new float[src.Length];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                float sum = 0;
                var n = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var sx = Math.Clamp(x + dx, 0, w - 1);
                        var sy = Math.Clamp(y + dy, 0, h - 1);
                        sum += src[(sy * w) + sx] * k[n++];
                    }
                }

                dst[(y * w) + x] = sum / 16f;
            }
        }

        return dst;
    }

    private static (float[] Magnitude, byte[] Direction) Gradients(float[] src, int w, int h)
    {
        var magnitude = new float[src.Length];
        var direction = new byte[src.Length];
        for (var y = 1; y < h - 1; y++)
        {
            for (var x = 1; x < w - 1; x++)
            {
                float P(int dx, int dy) => src[((y + dy) * w) + x + dx];
                var gx = -P(-1, -1) - (2 * P(-1, 0)) - P(-1, 1) + P(1, -1) + (2 * P(1, 0)) + P(1, 1);
                var gy = -P(-1, -1) - (2 * P(0, -1)) - P(1, -1) + P(-1, 1) + (2 * P(0, 1)) + P(1, 1);
                var i = (y * w) + x;
                magnitude[i] = MathF.Sqrt((gx * gx) + (gy * gy));
                var angle = MathF.Atan2(gy, gx) * 180f / MathF.PI;
                angle = angle < 0 ? angle + 180f : angle;
                direction[i] = angle switch
                {
                    < 22.5f or >= 157.5f => 0,
                    < 67.5f => 1,
                    < 112.5f => 2,
                    _ => 3,
                };
            }
        }

        return (magnitude, direction);
    }

    private static float[] Suppress(float[] magnitude, byte[] direction, int w, int h)
    {
        var thin = new float[magnitude.Length];
        for (var y = 1; y < h - 1; y++)
        {
            for (var x = 1; x < w - 1; x++)
            {
                var i = (y * w) + x;
                var (a, b) = direction[i] switch
                {
                    0 => (i - 1, i + 1),
                    1 => (i - w - 1, i + w + 1),
                    2 => (i - w, i + w),
                    _ => (i - w + 1, i + w - 1),
                };
                var m = magnitude[i];
                thin[i] = m >= magnitude[a] && m >= magnitude[b] ? m : 0;
            }
        }

        return thin;
    }

    private static byte[] Hysteresis(float[] thin, int w, int h, int low, int high)
    {
        var edges = new byte[thin.Length];
        var stack = new Stack<int>();
        for (var i = 0; i < thin.Length; i++)
        {
            if (thin[i] >= high && edges[i] == 0)
            {
                edges[i] = 255;
                stack.Push(i);
                while (stack.Count > 0)
                {
                    var c = stack.Pop();
                    var cx = c % w;
                    var cy = c / w;
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            var nx = cx + dx;
                            var ny = cy + dy;
                            if (nx < 0 || ny < 0 || nx >= w || ny >= h)
                            {
                                continue;
                            }

                            var n = (ny * w) + nx;
                            if (edges[n] == 0 && thin[n] >= low)
                            {
                                edges[n] = 255;
                                stack.Push(n);
                            }
                        }
                    }
                }
            }
        }

        return edges;
    }
}
