using System.Text.Json.Nodes;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// A batch of Redux jobs (512² JPEGs) POSTed as fast as the runners take them (round robin over the runners,
/// <c>parallelPosts</c> requests at a time, eight by default); the makespan runs from the first POST to the last manifest seen.
/// </summary>
internal static class BatchScenario
{
    public sealed record Result(TimeSpan Makespan, TimeSpan SubmitTime, Dictionary<string, JobOutcome> Outcomes, int Expected, List<string> JobIds, DateTimeOffset StartedAt);

    /// <param name="pollEvery">How often the output containers are listed for the jobs' records (default 250 ms).</param>
    /// <param name="parallelPosts">POSTs in flight at once.</param>
    public static async Task<Result> RunAsync(JobClient client, IReadOnlyList<Uri> runners, string label, int jobs, TimeSpan timeout, TimeSpan? pollEvery = null, int parallelPosts = 8)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(runners);
        var inputs = Photos();
        var ids = new string[jobs];
        var startedAt = DateTimeOffset.UtcNow;
        var started = client.Clock.Elapsed;
        await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = parallelPosts }, async (i, _) =>
        {
            ids[i] = await client.SubmitAsync(runners[i % runners.Count], Job(label, i, inputs));
        });
        var submitted = client.Clock.Elapsed - started;
        var outcomes = await client.WaitAsync(ids, pollEvery ?? TimeSpan.FromMilliseconds(250), timeout, $"redux/api/{label}-");
        var last = outcomes.Count == 0 ? client.Clock.Elapsed : outcomes.Values.Max(o => o.SeenAt);
        return new Result(last - started, submitted, outcomes, jobs, [.. ids], startedAt);
    }

    /// <summary>The batch's eight 512² photos (seeds 100–107), used round robin.</summary>
    public static byte[][] Photos() => [.. Enumerable.Range(0, 8).Select(i => BenchImages.Photo(512, 100 + i))];

    /// <summary>Job <paramref name="i"/> of the batch <paramref name="label"/>: Redux on one of <paramref name="photos"/>, 512².</summary>
    public static JobInput Job(string label, int i, byte[][] photos) =>
        BenchImages.Job("redux", $"{label}-{i:000}", photos[i % photos.Length], null, size: 512);

    /// <summary>Mean milliseconds per stage over the completed manifests (<c>timingsMs</c>), plus the time outside any stage.</summary>
    public static List<(string Stage, double MeanMs, double P95Ms)> StageBreakdown(IEnumerable<JobOutcome> outcomes)
    {
        var perStage = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var o in outcomes.Where(o => o.Completed))
        {
            if (o.Record["timingsMs"] is JsonObject timings)
            {
                foreach (var (stage, value) in timings)
                {
                    Add(perStage, stage, (double)value!);
                }
            }

            Add(perStage, "(admission to orchestration start)", Admission(o.Record).ToStartMs);
        }

        return [.. perStage.Select(kv => (kv.Key, kv.Value.Average(), Stats.Percentile(kv.Value, 95)))];
    }

    /// <summary>
    /// Where the first <paramref name="count"/> jobs POSTed spent their time before their inference, from their manifests:
    /// admitted (created, after the first POST), to the orchestration's start, then preparing up to the submission (s).
    /// </summary>
    public static string FirstJobs(Result result, int count)
    {
        var parts = new List<string>();
        foreach (var id in result.JobIds.Take(count))
        {
            if (!result.Outcomes.TryGetValue(id, out var o) || !o.Completed || o.Record["timingsMs"] is not JsonObject timings)
            {
                continue;
            }

            var (created, toStart) = Admission(o.Record);
            var preparing = timings.Where(kv => kv.Key is "preparing" or "submitting").Sum(kv => (double)kv.Value!);
            parts.Add($"admitted +{Stats.F((created - result.StartedAt).TotalSeconds, "0.00")} started +{Stats.F(toStart / 1000, "0.00")} prepared+submitted {Stats.F(preparing / 1000, "0.00")}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>
    /// How far the batch's completion order strays from its POST order: the mean and the largest number of places a job
    /// finished behind its position among the POSTs (manifests seen; only completed jobs count).
    /// </summary>
    public static (double MeanPlaces, int MostPlaces, string Latest) OrderKept(Result result)
    {
        var finished = result.JobIds
            .Select((id, posted) => (id, posted, o: result.Outcomes.GetValueOrDefault(id)))
            .Where(j => j.o is { Completed: true })
            .OrderBy(j => j.o!.SeenAt)
            .Select((j, rank) => (j.id, j.posted, rank, behind: rank - j.posted))
            .ToList();
        if (finished.Count == 0)
        {
            return (0, 0, "-");
        }

        var latest = finished.MaxBy(j => j.behind);
        return (finished.Average(j => Math.Abs(j.behind)), latest.behind, $"job {latest.posted + 1} POSTed finished {latest.rank + 1}th");
    }

    /// <summary>
    /// When a job was created, and the time from then to its orchestration's start: what its stages (<c>timingsMs</c>)
    /// leave of created → completed, from its manifest.
    /// </summary>
    private static (DateTimeOffset Created, double ToStartMs) Admission(JsonNode record)
    {
        var created = DateTimeOffset.Parse((string)record["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var completed = DateTimeOffset.Parse((string)record["completedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var staged = record["timingsMs"] is JsonObject timings ? timings.Sum(kv => (double)kv.Value!) : 0;
        return (created, Math.Max(0, (completed - created).TotalMilliseconds - staged));
    }

    private static void Add(Dictionary<string, List<double>> d, string key, double v)
    {
        if (!d.TryGetValue(key, out var list))
        {
            d[key] = list = [];
        }

        list.Add(v);
    }
}
