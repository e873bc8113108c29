using System.Text.Json.Nodes;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// Jobs one at a time on a warm runner, 1024² JPEG inputs, every tool in turn: end-to-end time (POST to manifest seen)
/// minus the emulator's configured inference time is the overhead (the manifest is looked for every 20 ms: a listing of
/// a prefix that holds one job's blobs, so the bench's own polling adds about 10 ms on average, not the 25 ms of the
/// 50 ms it used before); the emulator's request bytes counted for that job
/// alone (stats reset before each) divided by the input's size is the bytes ratio; the emulator's request count for it,
/// the Runware requests the job made (uploads, guide, submission, polls).
/// </summary>
internal static class OverheadScenario
{
    public sealed record Sample(string Tool, double EndToEndMs, double OverheadMs, long Bytes, long InputBytes, JsonNode Manifest, long RunwareRequests = 0)
    {
        public double Ratio => (double)Bytes / InputBytes;
    }

    public static async Task<List<Sample>> RunAsync(BenchStack stack, JobClient client, HttpClient http, Uri runner, string label, int rounds, int size = 1024)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(client);
        var mask = BenchImages.Mask(size);
        var samples = new List<Sample>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var tool in BenchImages.Tools)
            {
                var image = BenchImages.Photo(size, seed: (round * 10) + Array.IndexOf(BenchImages.Tools, tool));
                var job = BenchImages.Job(tool, $"{label}-{round}", image, mask);
                await stack.ResetEmulatorStatsAsync(http);
                var started = client.Clock.Elapsed;
                var id = await client.SubmitAsync(runner, job);
                var outcomes = await client.WaitAsync([id], TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(120), $"{tool}/api/{label}-{round}");
                if (!outcomes.TryGetValue(id, out var outcome))
                {
                    throw new TimeoutException($"{label}: {tool} job {id} did not finish within 120 s.");
                }

                if (!outcome.Completed)
                {
                    throw new InvalidOperationException($"{label}: {tool} job {id} failed: {outcome.Record["error"]?.ToJsonString()}");
                }

                var stats = await stack.EmulatorStatsAsync(http);
                var e2e = (outcome.SeenAt - started).TotalMilliseconds;
                samples.Add(new Sample(tool, e2e, e2e - stack.LatencyMs, (long)stats["requestBytes"]!, image.Length, outcome.Record, (long)stats["requests"]!));
            }
        }

        return samples;
    }
}
