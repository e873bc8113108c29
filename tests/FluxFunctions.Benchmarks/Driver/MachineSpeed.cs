using System.Diagnostics;
using FluxFunctions.Imaging;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// How fast this machine runs the pipeline's own CPU work at the moment: the bench's 1024² JPEG decoded (header checks,
/// full decode to RGBA; what a lone job's preparing stage spent most of its CPU on until inputs sent as they came were
/// only checked) in this process, the median of fifteen after three warm-ups. Measured at the start and at the end of a
/// run and printed beside the figures, so that a reader can tell a slower machine or a busier hour from a slower
/// pipeline (the same code's lone jobs have prepared a quarter slower in one afternoon than in the morning). A fixed
/// piece of work, so runs of different code compare by it.
/// </summary>
internal static class MachineSpeed
{
    private const int WarmUps = 3;
    private const int Runs = 15;

    /// <summary>The median milliseconds one decode took.</summary>
    public static double PrepareMs() => MedianMs(photo => ImageDecoder.Decode(photo, ImageLimits.Default).Dispose());

    /// <summary>The median milliseconds of <paramref name="work"/> on the bench's 1024² JPEG.</summary>
    public static double MedianMs(Action<byte[]> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var photo = BenchImages.Photo(1024, seed: 1);
        var samples = new List<double>(Runs);
        for (var i = 0; i < WarmUps + Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            work(photo);
            watch.Stop();
            if (i >= WarmUps)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return Stats.Median(samples);
    }
}
