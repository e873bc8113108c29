namespace FluxFunctions.Emulator.Images;

/// <summary>
/// A simple canny-style edge map: 5x5 Gaussian smoothing, Sobel gradient magnitude (|gx| + |gy|, the scale OpenCV's
/// thresholds use), then double thresholding with hysteresis: pixels at or above the high threshold are edges, pixels at
/// or above the low threshold are edges when connected to one. White edges on black.
/// </summary>
internal static class CannyEdges
{
    /// <summary>The edge map of a gray image (row-major, 0–255).</summary>
    public static byte[] Detect(byte[] gray, int width, int height, int low, int high)
    {
        ArgumentNullException.ThrowIfNull(gray);
        var smooth = GaussianBlur5(gray, width, height);
        var magnitude = new int[width * height];
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                var i = (y * width) + x;
                int a = smooth[i - width - 1], b = smooth[i - width], c = smooth[i - width + 1];
                int d = smooth[i - 1], f = smooth[i + 1];
                int g = smooth[i + width - 1], h = smooth[i + width], k = smooth[i + width + 1];
                var gx = (c + (2 * f) + k) - (a + (2 * d) + g);
                var gy = (g + (2 * h) + k) - (a + (2 * b) + c);
                magnitude[i] = Math.Abs(gx) + Math.Abs(gy);
            }
        }

        var edges = new byte[width * height];
        var pending = new Stack<int>();
        for (var i = 0; i < magnitude.Length; i++)
        {
            if (magnitude[i] < high || edges[i] != 0 || magnitude[i] == 0)
            {
                continue;
            }

            edges[i] = 255;
            pending.Push(i);
            while (pending.Count > 0)
            {
                var p = pending.Pop();
                int px = p % width, py = p / width;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int nx = px + dx, ny = py + dy;
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height)
                        {
                            continue;
                        }

                        var n = (ny * width) + nx;
                        if (edges[n] == 0 && magnitude[n] >= low && magnitude[n] > 0)
                        {
                            edges[n] = 255;
                            pending.Push(n);
                        }
                    }
                }
            }
        }

        return edges;
    }

    private static byte[] GaussianBlur5(byte[] source, int width, int height)
    {
        ReadOnlySpan<int> kernel = [1, 4, 6, 4, 1];
        var temp = new byte[source.Length];
        var result = new byte[source.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0;
                for (var k = -2; k <= 2; k++)
                {
                    sum += kernel[k + 2] * source[(y * width) + Math.Clamp(x + k, 0, width - 1)];
                }

                temp[(y * width) + x] = (byte)((sum + 8) >> 4);
            }
        }

        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0;
                for (var k = -2; k <= 2; k++)
                {
                    sum += kernel[k + 2] * temp[(Math.Clamp(y + k, 0, height - 1) * width) + x];
                }

                result[(y * width) + x] = (byte)((sum + 8) >> 4);
            }
        }

        return result;
    }
}
