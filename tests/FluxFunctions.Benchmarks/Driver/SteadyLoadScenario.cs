using System.Globalization;
using Azure.Storage.Blobs;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// Capacity at steady state: jobs offered at a fixed rate (open loop: job <c>i</c> is sent at <c>i / rate</c> seconds,
/// whatever the pipeline is doing), through the HTTP API or as blob drops, and the rate at which they complete while the
/// load is on. If the pipeline keeps up, jobs complete at the offered rate and the backlog (sent, not yet completed) stays
/// flat; if it cannot, they complete at what it can carry and the backlog grows. Unlike a batch submitted all at once,
/// the storage queues hold only the jobs in flight: Azurite's queue service scans every message it holds on each request
/// (<c>LokiQueueMetadataStore.getMessages</c> and <c>clearExpiredMessages</c>), so a 2,000-job burst costs it per request
/// in proportion to the burst, which Azure Storage's queues do not.
/// </summary>
internal static class SteadyLoadScenario
{
    /// <summary>What one offered-load run measured.</summary>
    /// <param name="Offered">Jobs sent per second, as achieved (first to last send).</param>
    /// <param name="Completed">Jobs with a manifest.</param>
    /// <param name="JobsPerSecond">Completions per second in the window (from the 20 % job's send to the last send; completion times from the manifests).</param>
    /// <param name="BacklogAtStart">Sent and not completed when the window opened.</param>
    /// <param name="BacklogAtEnd">Sent and not completed when it closed.</param>
    /// <param name="MedianBeyondInferenceS">Median of (completedAt − sent − inference) over the jobs sent in the window.</param>
    /// <param name="P95BeyondInferenceS">95th percentile of the same.</param>
    /// <param name="CpuPerJob">CPU seconds per completed job, by process, over the whole run.</param>
    public sealed record Result(string Label, int Jobs, double Offered, int Completed, double WindowSeconds, double JobsPerSecond, int BacklogAtStart, int BacklogAtEnd, double MedianBeyondInferenceS, double P95BeyondInferenceS, IReadOnlyList<(string Name, double Seconds)> CpuPerJob);

    /// <summary>Offers <paramref name="jobs"/> Redux jobs through <c>POST /api/edits</c> at <paramref name="rate"/> per second.</summary>
    public static Task<Result> HttpAsync(JobClient client, Uri runner, IEnumerable<(string Name, System.Diagnostics.Process Process)> processes, string label, int jobs, double rate, int inferenceMs, TimeSpan timeout)
    {
        var photos = BatchScenario.Photos();
        return OfferAsync(client, processes, label, jobs, rate, inferenceMs, timeout, $"redux/api/{label}-",
            i => client.SubmitAsync(runner, BatchScenario.Job(label, i, photos)));
    }

    /// <summary>Offers <paramref name="jobs"/> blob drops (options file, then the image) at <paramref name="rate"/> per second.</summary>
    public static async Task<Result> BlobAsync(JobClient client, BlobServiceClient blobs, IEnumerable<(string Name, System.Diagnostics.Process Process)> processes, string label, int jobs, double rate, int inferenceMs, TimeSpan timeout)
    {
        var photos = CapacityScenario.DropPhotos();
        var container = blobs.GetBlobContainerClient(JobContainers.Default.Inputs);
        await container.CreateIfNotExistsAsync();
        return await OfferAsync(client, processes, label, jobs, rate, inferenceMs, timeout, $"redux/{label}/", i => CapacityScenario.DropAsync(container, label, i, photos));
    }

    private static async Task<Result> OfferAsync(JobClient client, IEnumerable<(string Name, System.Diagnostics.Process Process)> processes, string label, int jobs, double rate, int inferenceMs, TimeSpan timeout, string prefix, Func<int, Task<string>> submit)
    {
        var ids = new string[jobs];
        var sentAt = new DateTimeOffset[jobs];
        var cpu = CpuMeter.Start(processes);
        var origin = client.Clock.Elapsed;
        var sends = new List<Task>(jobs);
        using var inFlight = new SemaphoreSlim(64);
        for (var i = 0; i < jobs; i++)
        {
            var wait = origin + TimeSpan.FromSeconds(i / rate) - client.Clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            // At most 64 sends outstanding: a pipeline that stops answering lowers the offered rate (printed) rather than
            // piling up connections.
            await inFlight.WaitAsync();
            var k = i;
            sentAt[k] = DateTimeOffset.UtcNow;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    ids[k] = await submit(k);
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(sends);
        var outcomes = await client.WaitAsync(ids, TimeSpan.FromSeconds(1), timeout, prefix);
        var perJob = cpu.StopPerProcess();
        var completedAt = new DateTimeOffset?[jobs];
        for (var i = 0; i < jobs; i++)
        {
            if (outcomes.TryGetValue(ids[i], out var o) && o.Completed)
            {
                completedAt[i] = DateTimeOffset.Parse((string)o.Record["completedAt"]!, CultureInfo.InvariantCulture);
            }
        }

        var done = completedAt.Count(c => c is not null);
        var windowStart = sentAt[(int)(jobs * 0.2)];
        var windowEnd = sentAt[jobs - 1];
        var window = (windowEnd - windowStart).TotalSeconds;
        var inWindow = completedAt.Count(c => c is { } t && t >= windowStart && t <= windowEnd);
        int Backlog(DateTimeOffset t) => sentAt.Count(s => s <= t) - completedAt.Count(c => c is { } d && d <= t);
        var beyond = Enumerable.Range(0, jobs)
            .Where(i => sentAt[i] >= windowStart && completedAt[i] is not null)
            .Select(i => (completedAt[i]!.Value - sentAt[i]).TotalSeconds - inferenceMs / 1000.0)
            .ToList();
        var offered = (jobs - 1) / Math.Max(0.001, (sentAt[jobs - 1] - sentAt[0]).TotalSeconds);
        return new Result(label, jobs, offered, done, window, window > 0 ? inWindow / window : 0, Backlog(windowStart), Backlog(windowEnd),
            beyond.Count == 0 ? double.NaN : Stats.Median(beyond), beyond.Count == 0 ? double.NaN : Stats.Percentile(beyond, 95),
            [.. perJob.Select(c => (c.Name, done == 0 ? 0 : c.Seconds / done))]);
    }
}
