namespace FluxFunctions.Imaging;

/// <summary>Runs a row loop in parallel bands when the image is large enough for threads to pay off.</summary>
internal static class RowBands
{
    /// <summary>Below this many pixels a loop runs on the calling thread.</summary>
    public const long ParallelThreshold = 256 * 256;

    /// <summary>Calls <paramref name="body"/> with [start, end) row ranges covering [0, <paramref name="rows"/>).</summary>
    public static void For(int rows, long pixels, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (rows <= 0)
        {
            return;
        }

        var bands = pixels < ParallelThreshold ? 1 : Math.Min(rows, Environment.ProcessorCount * 4);
        if (bands <= 1)
        {
            body(0, rows);
            return;
        }

        Parallel.For(0, bands, band =>
        {
            var start = (int)((long)rows * band / bands);
            var end = (int)((long)rows * (band + 1) / bands);
            if (end > start)
            {
                body(start, end);
            }
        });
    }
}
