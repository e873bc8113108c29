using System.Diagnostics;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// How fast this machine runs the pipeline's own CPU work at the moment: the bench's 1024² JPEG prepared for a 1024²
/// Redux job as the overhead run's are (decoded and checked, then sent as it came: the CPU part of a lone Redux job's
/// preparing stage) in this process, the median of fifteen after three warm-ups. Measured at the start and at the end
/// of a run and printed beside the figures, so that a reader can tell a slower machine or a busier hour from a slower
/// pipeline (the same code's lone jobs have prepared a quarter slower in one afternoon than in the morning).
/// </summary>
internal static class MachineSpeed
{
    private const int WarmUps = 3;
    private const int Runs = 15;

    private static readonly EditSpec Redux = new() { Tool = FluxTool.Redux, Width = 1024, Height = 1024 };

    /// <summary>The median milliseconds one preparation took.</summary>
    public static double PrepareMs()
    {
        var photo = BenchImages.Photo(1024, seed: 1);
        var samples = new List<double>(Runs);
        for (var i = 0; i < WarmUps + Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var prepared = ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(Redux), photo));
            watch.Stop();
            if (prepared.Image.Bytes.Length == 0)
            {
                throw new InvalidOperationException("machine speed: the Redux preparation gave no image.");
            }

            if (i >= WarmUps)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return Stats.Median(samples);
    }
}
