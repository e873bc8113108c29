using System.Globalization;
using Azure.Storage.Blobs;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// How many jobs a runner carries when Runware is not the limit: a large batch of Redux jobs (512² JPEG) against a fast
/// emulated inference and many slots, through the HTTP API or as blob drops (image plus options file), with the rate at
/// steady state (the middle 80 % of completions), the CPU each process spent per job and the latency beyond the inference.
/// </summary>
internal static class CapacityScenario
{
    /// <summary>What one capacity batch measured.</summary>
    /// <param name="Completed">Jobs with a manifest.</param>
    /// <param name="Makespan">First submission to last manifest seen.</param>
    /// <param name="SteadyJobsPerSecond">Completions per second between the 10th and the 90th percentile completion (the manifests' <c>completedAt</c>).</param>
    /// <param name="P95BeyondInferenceS">95th percentile of (completedAt − createdAt − inference time) over the manifests.</param>
    /// <param name="MedianBeyondInferenceS">The median of the same.</param>
    /// <param name="CpuPerJob">CPU seconds per completed job, by process.</param>
    /// <param name="SubmitSeconds">Time the submissions (POSTs or uploads) took.</param>
    public sealed record Result(string Label, int Jobs, int Completed, TimeSpan Makespan, double SteadyJobsPerSecond, double P95BeyondInferenceS, double MedianBeyondInferenceS, IReadOnlyList<(string Name, double Seconds)> CpuPerJob, double SubmitSeconds);

    /// <summary>The batch through <c>POST /api/edits</c>, round robin over <paramref name="runners"/>.</summary>
    public static async Task<Result> HttpAsync(JobClient client, IReadOnlyList<Uri> runners, IEnumerable<(string Name, System.Diagnostics.Process Process)> processes, string label, int jobs, int inferenceMs, TimeSpan timeout)
    {
        var cpu = CpuMeter.Start(processes);
        var batch = await BatchScenario.RunAsync(client, runners, label, jobs, timeout, pollEvery: TimeSpan.FromSeconds(1), parallelPosts: 32);
        return Summarise(label, jobs, batch.Outcomes.Values, batch.Makespan, cpu.StopPerProcess(), inferenceMs, batch.SubmitTime.TotalSeconds);
    }

    /// <summary>
    /// The options of every blob drop: the job the HTTP phase posts (<see cref="BenchImages.Job"/>: seed 7, 512²), so the
    /// two doors carry the same work. With <c>{"numberResults":1}</c> (random seed, 1024² by default) each of the emulator's
    /// renders was new and four times the pixels, its cache of encoded images never hit, and the emulator (standing in
    /// for a remote service) took most of a core from the pipeline on the same machine.
    /// </summary>
    private const string SameJobAsTheApi = """{"seed": 7, "width": 512, "height": 512}""";

    /// <summary>The batch as blob drops: each image's options file first, then the image (so no job waits for it).</summary>
    public static async Task<Result> BlobAsync(JobClient client, BlobServiceClient blobs, IEnumerable<(string Name, System.Diagnostics.Process Process)> processes, string label, int jobs, int inferenceMs, TimeSpan timeout)
    {
        var inputs = DropPhotos();
        var container = blobs.GetBlobContainerClient(JobContainers.Default.Inputs);
        await container.CreateIfNotExistsAsync();
        var ids = new string[jobs];
        var cpu = CpuMeter.Start(processes);
        var started = client.Clock.Elapsed;
        await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => ids[i] = await DropAsync(container, label, i, inputs));
        var submitted = client.Clock.Elapsed - started;
        var outcomes = await client.WaitAsync(ids, TimeSpan.FromSeconds(1), timeout, $"redux/{label}/");
        var last = outcomes.Count == 0 ? client.Clock.Elapsed : outcomes.Values.Max(o => o.SeenAt);
        return Summarise(label, jobs, outcomes.Values, last - started, cpu.StopPerProcess(), inferenceMs, submitted.TotalSeconds);
    }

    /// <summary>The blob phases' eight 512² photos (seeds 200–207), used round robin.</summary>
    public static byte[][] DropPhotos() => [.. Enumerable.Range(0, 8).Select(i => BenchImages.Photo(512, 200 + i))];

    /// <summary>Drops job <paramref name="i"/> of <paramref name="label"/>: its options file, then its image (so the job waits for nothing); its job id.</summary>
    public static async Task<string> DropAsync(BlobContainerClient container, string label, int i, byte[][] photos)
    {
        var name = $"redux/{label}/job-{i:0000}";
        await container.GetBlobClient(name + ".json").UploadAsync(BinaryData.FromString(SameJobAsTheApi), overwrite: true);
        var uploaded = await container.GetBlobClient(name + ".jpg").UploadAsync(BinaryData.FromBytes(photos[i % photos.Length]), overwrite: true);
        return JobIds.ForBlob(container.Name, name + ".jpg", uploaded.Value.ETag.ToString());
    }

    private static Result Summarise(string label, int jobs, IEnumerable<JobOutcome> outcomes, TimeSpan makespan, IReadOnlyList<(string Name, double Seconds)> cpu, int inferenceMs, double submitSeconds)
    {
        var done = outcomes.Where(o => o.Completed).ToList();

        // Completion times from the manifests (completedAt), not from when the bench saw them: the listing runs after the
        // submissions and once a second, so what it sees bunches up.
        var completed = done.Select(o => DateTimeOffset.Parse((string)o.Record["completedAt"]!, CultureInfo.InvariantCulture)).ToList();
        var origin = completed.Count == 0 ? DateTimeOffset.MinValue : completed.Min();
        var times = completed.Select(c => (c - origin).TotalSeconds).Order().ToArray();
        var steady = 0.0;
        if (times.Length >= 10)
        {
            var p10 = times[(int)(times.Length * 0.1)];
            var p90 = times[(int)(times.Length * 0.9) - 1];
            steady = p90 > p10 ? (times.Length * 0.8) / (p90 - p10) : 0;
        }

        var beyond = done.Select(o =>
            (DateTimeOffset.Parse((string)o.Record["completedAt"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)o.Record["createdAt"]!, CultureInfo.InvariantCulture)).TotalSeconds - inferenceMs / 1000.0).ToList();
        var perJob = cpu.Select(c => (c.Name, done.Count == 0 ? 0 : c.Seconds / done.Count)).ToList();
        return new Result(label, jobs, done.Count, makespan, steady, beyond.Count == 0 ? double.NaN : Stats.Percentile(beyond, 95), beyond.Count == 0 ? double.NaN : Stats.Median(beyond), perJob, submitSeconds);
    }
}
