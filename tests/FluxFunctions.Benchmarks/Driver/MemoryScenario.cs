namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// A fresh runner process, four 2048² jobs (one per tool) submitted at once; its resident set size is sampled from
/// <c>/proc</c> every 50 ms until all four manifests exist, and the kernel's own high-water mark (VmHWM) read at the end.
/// The jobs' completion is looked for every 200 ms under each tool's folder, so the scenario's own listings stay small.
/// </summary>
internal static class MemoryScenario
{
    public sealed record Result(long BaselineRss, long SampledPeak, long HighWaterMark, int Completed, double Seconds);

    public static async Task<Result> RunAsync(JobClient client, ServerProcess runner)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(runner);
        const int Size = 2048;
        var mask = BenchImages.Mask(Size);
        var jobs = BenchImages.Tools.Select((t, i) => BenchImages.Job(t, "mem", BenchImages.Photo(Size, 200 + i), mask, Size)).ToList();
        await Task.Delay(1000);
        var baseline = runner.Memory().Rss;
        var sampled = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                sampled = Math.Max(sampled, runner.Memory().Rss);
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var started = client.Clock.Elapsed;
        var ids = await Task.WhenAll(jobs.Select(j => client.SubmitAsync(runner.BaseAddress, j)));

        // Each job is looked for under its own tool's folder, every 200 ms: a listing of the whole container every 25 ms
        // (the bench's close look) would load Azurite with every blob the container already holds (8,000 outputs in the
        // run on used containers).
        var waits = await Task.WhenAll(ids.Select((id, i) => client.WaitAsync([id], TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(240), $"{BenchImages.Tools[i]}/api/mem", closely: false)));
        var outcomes = waits.SelectMany(w => w).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var seconds = (client.Clock.Elapsed - started).TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        var (_, hwm) = runner.Memory();
        var failures = outcomes.Values.Where(o => !o.Completed).Select(o => o.Record["error"]?.ToJsonString()).ToList();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException("memory: jobs failed: " + string.Join("; ", failures));
        }

        return new Result(baseline, sampled, hwm, outcomes.Count(o => o.Value.Completed), seconds);
    }
}
