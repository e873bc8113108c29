namespace FluxFunctions.Imaging;

/// <summary>
/// Resizes grayscale images (masks) with a separable triangle filter whose support widens with the reduction, so
/// downscaling averages every source pixel (no aliasing) and upscaling is bilinear. Deterministic managed code:
/// preparation and stitching get the same mask in any process.
/// </summary>
internal static class GrayResizer
{
    private const int Shift = 14;

    public static GrayImage Resize(GrayImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Width == width && source.Height == height)
        {
            return new GrayImage(width, height, (byte[])source.Pixels.Clone());
        }

        var columns = Weights(source.Width, width);
        var rows = Weights(source.Height, height);

        // Horizontal pass: source rows → width columns.
        var temp = new byte[source.Height * width];
        RowBands.For(source.Height, (long)source.Height * width, (start, end) =>
        {
            for (var y = start; y < end; y++)
            {
                var src = source.Row(y);
                var dst = temp.AsSpan(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    var (first, weights) = columns[x];
                    var sum = 0;
                    for (var k = 0; k < weights.Length; k++)
                    {
                        sum += src[first + k] * weights[k];
                    }

                    dst[x] = Round(sum);
                }
            }
        });

        // Vertical pass.
        var result = new GrayImage(width, height);
        RowBands.For(height, (long)width * height, (start, end) =>
        {
            var accumulator = new int[width];
            for (var y = start; y < end; y++)
            {
                Array.Clear(accumulator);
                var (first, weights) = rows[y];
                for (var k = 0; k < weights.Length; k++)
                {
                    var src = temp.AsSpan((first + k) * width, width);
                    var weight = weights[k];
                    for (var x = 0; x < width; x++)
                    {
                        accumulator[x] += src[x] * weight;
                    }
                }

                var dst = result.Row(y);
                for (var x = 0; x < width; x++)
                {
                    dst[x] = Round(accumulator[x]);
                }
            }
        });
        return result;
    }

    private static byte Round(int sum) => (byte)Math.Clamp((sum + (1 << (Shift - 1))) >> Shift, 0, 255);

    /// <summary>For each output index: the first source index and the fixed-point weights (summing to 2^14).</summary>
    private static (int First, int[] Weights)[] Weights(int sourceLength, int targetLength)
    {
        var scale = sourceLength / (double)targetLength;
        var support = Math.Max(1.0, scale);
        var result = new (int, int[])[targetLength];
        var raw = new List<double>();
        for (var i = 0; i < targetLength; i++)
        {
            var center = ((i + 0.5) * scale) - 0.5;
            var first = Math.Max(0, (int)Math.Ceiling(center - support));
            var last = Math.Min(sourceLength - 1, (int)Math.Floor(center + support));
            raw.Clear();
            var total = 0.0;
            for (var j = first; j <= last; j++)
            {
                var weight = Math.Max(0, 1 - (Math.Abs(j - center) / support));
                raw.Add(weight);
                total += weight;
            }

            if (total <= 0)
            {
                // The centre falls outside the source (tiny sources): take the nearest pixel.
                var nearest = Math.Clamp((int)Math.Round(center), 0, sourceLength - 1);
                result[i] = (nearest, [1 << Shift]);
                continue;
            }

            var weights = new int[raw.Count];
            var assigned = 0;
            var largest = 0;
            for (var k = 0; k < raw.Count; k++)
            {
                weights[k] = (int)Math.Round(raw[k] / total * (1 << Shift));
                assigned += weights[k];
                if (weights[k] > weights[largest])
                {
                    largest = k;
                }
            }

            weights[largest] += (1 << Shift) - assigned;
            result[i] = (first, weights);
        }

        return result;
    }
}
