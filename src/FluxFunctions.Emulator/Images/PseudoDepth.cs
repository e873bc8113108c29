namespace FluxFunctions.Emulator.Images;

/// <summary>
/// A plausible grayscale pseudo-depth map (near = white): heavily blurred luminance blended with a vertical gradient
/// (the bottom of a photo is usually nearer). Not a real depth estimator; good enough to guide the emulated model.
/// </summary>
internal static class PseudoDepth
{
    /// <summary>The depth map of a gray image (row-major, 0–255).</summary>
    public static byte[] Estimate(byte[] gray, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(gray);
        var radius = Math.Max(2, Math.Min(width, height) / 40);
        var blurred = BoxBlur(BoxBlur(gray, width, height, radius), width, height, radius);
        var depth = new byte[gray.Length];
        for (var y = 0; y < height; y++)
        {
            var vertical = height > 1 ? 255 * y / (height - 1) : 128;
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                depth[i] = (byte)(((blurred[i] * 45) + (vertical * 55) + 50) / 100);
            }
        }

        return depth;
    }

    /// <summary>A separable box blur with running sums (edges clamped).</summary>
    private static byte[] BoxBlur(byte[] source, int width, int height, int radius)
    {
        var temp = new byte[source.Length];
        var result = new byte[source.Length];
        var window = (2 * radius) + 1;
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            var sum = 0;
            for (var k = -radius; k <= radius; k++)
            {
                sum += source[row + Math.Clamp(k, 0, width - 1)];
            }

            for (var x = 0; x < width; x++)
            {
                temp[row + x] = (byte)(sum / window);
                sum += source[row + Math.Min(x + radius + 1, width - 1)] - source[row + Math.Max(x - radius, 0)];
            }
        }

        for (var x = 0; x < width; x++)
        {
            var sum = 0;
            for (var k = -radius; k <= radius; k++)
            {
                sum += temp[(Math.Clamp(k, 0, height - 1) * width) + x];
            }

            for (var y = 0; y < height; y++)
            {
                result[(y * width) + x] = (byte)(sum / window);
                sum += temp[(Math.Min(y + radius + 1, height - 1) * width) + x] - temp[(Math.Max(y - radius, 0) * width) + x];
            }
        }

        return result;
    }
}
