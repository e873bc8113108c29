using FluxFunctions.Chaos.Jobs;
using FluxFunctions.Chaos.Report;
using FluxFunctions.Chaos.Stack;
using static FluxFunctions.Chaos.Scenarios.ScenarioKit;

namespace FluxFunctions.Chaos.Scenarios;

/// <summary>
/// 500 blobs dropped at once, 20% invalid (corrupt, empty, wrong companion, forbidden parameter, unknown tool folder):
/// 400 manifests and 100 failure records each naming its reason; the runner's memory stays bounded; the HTTP API keeps
/// answering health checks while it works.
/// </summary>
internal static class LoadScenario
{
    /// <summary>Peak resident memory the runner may reach (MiB).</summary>
    public const double MemoryBoundMb = 1536;

    private static readonly (string Kind, string[] Codes)[] Invalid =
    [
        ("corrupt", ["corruptImage", "notAnImage"]),
        ("empty", ["emptyImage"]),
        ("wrong-companion", ["maskAspectMismatch"]),
        ("forbidden-parameter", ["forbiddenParameter"]),
        ("unknown-tool", ["unknownTool"]),
    ];

    public static async Task<ScenarioResult> RunAsync(ChaosStack stack, int total, TimeSpan limit, CancellationToken ct)
    {
        var scope = new Scope(stack, "load");
        await scope.CreateAsync();
        using var emulator = await stack.StartEmulatorAsync("load", EmulatorSettings(300));
        using var runner = await RunnerHandle.StartAsync(stack, "load", scope.RunnerSettings(emulator, new Dictionary<string, string> { ["Flux__MaxConcurrentInferences"] = "32" }));
        var invalidCount = total / 5;
        var photo = ChaosImages.Photo(384, 256, 1);
        Task<DroppedJob> Drop(int i)
        {
            if (i % 5 != 4)
            {
                // Valid jobs: Redux variations without an options file, so the 500 drops are 500 blobs.
                return scope.DropAsync($"redux/batch/r{i}.jpg", ChaosImages.Photo(256, 256, i), "valid");
            }

            var kind = Invalid[i / 5 % Invalid.Length].Kind;
            return kind switch
            {
                "corrupt" => scope.DropAsync($"depth/bad/corrupt{i}.jpg", ChaosImages.Truncated(ChaosImages.Photo(384, 256, i)), kind, """{"prompt":"a corrupt one"}"""),
                "empty" => scope.DropAsync($"canny/bad/empty{i}.png", [], kind, """{"prompt":"an empty one"}"""),
                "wrong-companion" => scope.DropAsync($"fill/bad/mask{i}.jpg", photo, kind, """{"prompt":"a mask of another shape"}""", ChaosImages.Mask(256, 256)),
                "forbidden-parameter" => scope.DropAsync($"canny/bad/forbidden{i}.jpg", photo, kind, """{"prompt":"weight is not for canny","weight":0.5}"""),
                _ => scope.DropAsync($"sharpen/bad/tool{i}.jpg", photo, kind),
            };
        }

        // Health checks all along: while the blobs are dropped and while the runner works through them.
        var latencies = new List<double>();
        var notOk = 0;
        using var stopHealth = new CancellationTokenSource();
        var health = Task.Run(async () =>
        {
            while (!stopHealth.IsCancellationRequested)
            {
                var (status, ms) = await runner.HealthAsync();
                lock (latencies)
                {
                    latencies.Add(ms);
                    notOk += status == 200 ? 0 : 1;
                }

                await Task.Delay(500, CancellationToken.None);
            }
        }, CancellationToken.None);

        var started = DateTime.UtcNow;
        var jobs = await DropManyAsync(total, Drop, parallelism: 32);
        Console.WriteLine($"    dropped {jobs.Count} blobs ({invalidCount} invalid) in {F((DateTime.UtcNow - started).TotalSeconds)} s");
        var outcomes = await scope.WaitForOutcomesAsync(jobs, DateTime.UtcNow + limit - TimeSpan.FromMinutes(1));
        var stillRunning = new HashSet<string>();
        foreach (var job in outcomes.Lost(jobs))
        {
            // Under load a status request may time out: ask up to three times before calling the job lost.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (await runner.StatusAsync(job.Id) is { } status)
                {
                    if (status.Status is "pending" or "running")
                    {
                        stillRunning.Add(job.Id);
                    }

                    break;
                }
            }
        }

        var elapsed = (DateTime.UtcNow - started).TotalSeconds - 3;
        await stopHealth.CancelAsync();
        await health;

        var problems = new List<string>();
        var expected = jobs.ToDictionary(j => j.Id, j => j.Kind);
        var misnamed = 0;
        foreach (var f in outcomes.Failures)
        {
            var code = (string?)f.Json["error"]?["code"];
            var kind = expected.GetValueOrDefault(f.JobId, "?");
            var codes = Invalid.FirstOrDefault(k => k.Kind == kind).Codes ?? [];
            if (!codes.Contains(code))
            {
                misnamed++;
                if (misnamed <= 3)
                {
                    problems.Add($"{f.Blob}: {kind} failed with {code} ({f.Json["error"]?["message"]})");
                }
            }
        }

        var validIds = jobs.Where(j => j.Kind == "valid").Select(j => j.Id).ToHashSet();
        var manifests = outcomes.Manifests.Count(m => validIds.Contains(m.JobId));
        if (manifests != total - invalidCount || outcomes.Failures.Count != invalidCount || misnamed > 0)
        {
            problems.Add($"expected {total - invalidCount} manifests and {invalidCount} failure records naming their reason; got {manifests}, {outcomes.Failures.Count}, {misnamed} with another reason");
        }

        if (runner.PeakRssMb > MemoryBoundMb)
        {
            problems.Add($"runner peak RSS {F(runner.PeakRssMb, "0")} MiB over the {MemoryBoundMb} MiB bound");
        }

        double[] sorted;
        lock (latencies)
        {
            sorted = [.. latencies.Order()];
        }

        if (sorted.Length == 0 || notOk > 0)
        {
            problems.Add($"health checks: {notOk} of {sorted.Length} did not answer 200");
        }

        var p95 = sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(sorted.Length * 0.95) - 1)];
        var healthText = $"{sorted.Length - notOk}/{sorted.Length} × 200, p50 {F(sorted.Length == 0 ? 0 : sorted[sorted.Length / 2], "0")} ms, p95 {F(p95, "0")} ms, max {F(sorted.Length == 0 ? 0 : sorted[^1], "0")} ms";
        var reasons = string.Join(" ", outcomes.Failures.GroupBy(f => (string?)f.Json["error"]?["code"]).Select(g => $"{g.Key}×{g.Count()}"));
        var tasks = Evidence.Tasks(await emulator.RequestsAsync());
        var figures = $"{manifests} manifests + {outcomes.Failures.Count} failure records ({reasons}) in {F(elapsed, "0")} s; memory bound {MemoryBoundMb} MiB";
        return Account($"load ({total} blobs, 20% invalid)", jobs, outcomes, tasks, figures, runner.PeakRssMb, healthText, problems, stillRunning);
    }
}
