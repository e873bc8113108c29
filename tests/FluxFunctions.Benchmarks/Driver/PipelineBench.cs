using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FluxFunctions.Testing;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// The pipeline benchmark behind <c>scripts/bench.sh</c>: every figure of issue #6 measured in one run on this machine
/// (nothing hard-coded), printed one line per figure beside its target and written to <c>.artifacts/bench.txt</c>.
/// </summary>
internal static class PipelineBench
{
    private const int LatencyMs = 2000;
    private const int Concurrency = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var batch = IntArg(args, "--jobs", 200);
        var rounds = IntArg(args, "--rounds", 5);
        var only = StringArg(args, "--only");
        var runnerSettings = args.Select((a, i) => (a, i)).Where(x => x.a == "--runner-setting" && x.i + 1 < args.Length)
            .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal);
        var output = Path.Combine(RepoPaths.Root, ".artifacts", "bench.txt");
        var work = Path.Combine(RepoPaths.Root, ".artifacts", "bench");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var figures = new Figures { PartialFile = output };
        var clock = Stopwatch.StartNew();
        var ok = true;
        Step($"machine: {Machine.Describe()}; build: {configuration}");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        await using (var stack = await BenchStack.StartAsync(work, configuration, LatencyMs, runnerSettings))
        {
            using var terminated = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ =>
            {
                Console.Error.WriteLine("bench: terminated; stopping the servers it started");
                stack.Kill();
            });
            var client = new JobClient(http, stack.Blobs, stack.ApiKey, clock);
            try
            {
                if (only is null or not "canny")
                {
                    await RunPipelineScenariosAsync(stack, client, http, figures, batch, rounds, only);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or Azure.RequestFailedException or IOException)
            {
                ok = false;
                figures.Detail($"ERROR: the pipeline scenarios stopped: {ex.Message} (logs: {Path.Combine(work, "logs")})");
                Console.Error.WriteLine(ex);
            }
        }

        if (only is null or "canny")
        {
            Step("canny: local vs OpenCV on a 2048² image");
            var canny = CannyScenario.Run();
            var cannyRatio = canny.LocalMs / canny.OpenCvMs;
            figures.Add("canny 2048² local / OpenCV", $"{Stats.F(cannyRatio)}×", "≤ 2.00×", cannyRatio <= 2.0);
            figures.Detail($"canny: local {Stats.F(canny.LocalMs, "0.0")} ms, OpenCV {Stats.F(canny.OpenCvMs, "0.0")} ms (median of {canny.Runs} each, alternated; {canny.OpenCvVersion}, {canny.OpenCvThreads} threads); edge pixels local {canny.LocalEdges}, OpenCV {canny.OpenCvEdges}");
        }

        if (runnerSettings.Count > 0)
        {
            figures.Detail("runner settings added for this run: " + string.Join(", ", runnerSettings.Select(kv => $"{kv.Key}={kv.Value}")));
        }

        var header = $"FluxFunctions benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Machine.Describe()}, {configuration} build, emulated inference {LatencyMs} ms, run took {clock.Elapsed.TotalMinutes:0.0} min";
        var text = figures.Render(header);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, text);
        Console.WriteLine();
        Console.WriteLine(text);
        Console.WriteLine($"written to {Path.GetRelativePath(RepoPaths.Root, output)}");
        var missed = figures.All.Count(f => f.Pass == false);
        Console.WriteLine(ok ? $"{figures.All.Count} figures, {missed} missed their target" : "the run did not finish: see the errors above");
        return ok ? 0 : 1;
    }

    private static async Task RunPipelineScenariosAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, int batch, int rounds, string? only)
    {
        // 1. One warm runner (upload mode): overhead and bytes per job, then the efficiency batch.
        Step("runner A (upload mode): warming up, one job per tool");
        var a = await stack.StartRunnerAsync("runner-a", "benchone");
        await OverheadScenario.RunAsync(stack, client, http, a.BaseAddress, "warm", rounds: 1);
        if (only == "memsas")
        {
            stack.StopRunner(a);
            await SasBytesAsync(stack, client, http, figures);
            await MemoryAsync(stack, client, figures);
            return;
        }

        if (only == "efficiency")
        {
            rounds = 0;
        }

        Step($"overhead: {rounds} rounds × 4 tools, one job at a time, 1024² JPEG, inference {LatencyMs} ms");
        var samples = await OverheadScenario.RunAsync(stack, client, http, a.BaseAddress, "ov", rounds);
        if (rounds > 0)
        {
            ReportOverhead(figures, samples);
        }

        var one = await EfficiencyAsync(stack, client, http, figures, a, batch);
        stack.StopRunner(a);
        if (only == "efficiency")
        {
            return;
        }

        await ScaleOutAsync(stack, client, http, figures, batch, one);
        await SasBytesAsync(stack, client, http, figures);
        await MemoryAsync(stack, client, figures);
    }

    private static void ReportOverhead(Figures figures, List<OverheadScenario.Sample> samples)
    {
        var overheads = samples.Select(s => s.OverheadMs / 1000).ToList();
        var median = Stats.Median(overheads);
        var p95 = Stats.Percentile(overheads, 95);
        figures.Add("overhead median (s)", Stats.F(median), "≤ 1.50", median <= 1.5);
        figures.Add("overhead p95 (s)", Stats.F(p95), "≤ 3.00", p95 <= 3.0);
        foreach (var g in samples.GroupBy(s => s.Tool))
        {
            figures.Detail($"overhead {g.Key,-5}: median {Stats.F(Stats.Median(g.Select(s => s.OverheadMs / 1000)))} s, max {Stats.F(g.Max(s => s.OverheadMs) / 1000)} s; stages (median ms): {StageMedians(g.Select(s => s.Manifest))}");
        }

        var worstUpload = samples.MaxBy(s => s.Ratio)!;
        figures.Add("bytes/input, upload (worst job)", Stats.F(worstUpload.Ratio, "0.000"), "≤ 1.400", worstUpload.Ratio <= 1.40);
        foreach (var g in samples.GroupBy(s => s.Tool))
        {
            var first = g.First();
            figures.Detail($"bytes upload {g.Key,-5}: {first.Bytes} bytes sent for a {first.InputBytes}-byte input = {Stats.F(first.Ratio, "0.000")} (max over rounds {Stats.F(g.Max(x => x.Ratio), "0.000")}; manifest bytesSent {first.Manifest["runware"]?["bytesSent"]})");
        }

    }

    private static async Task<BatchScenario.Result> EfficiencyAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, ServerProcess a, int batch)
    {
        Step($"efficiency: {batch} Redux jobs (512²), inference {LatencyMs} ms, MaxConcurrentInferences={Concurrency}");
        await stack.ResetEmulatorStatsAsync(http);
        var cpu = CpuMeter.Start(stack.Processes());
        await using var probe = StorageProbe.Start(stack.StorageServices());
        var one = await BatchScenario.RunAsync(client, [a.BaseAddress], "eff", batch, TimeSpan.FromSeconds(150));
        var cpuLine = cpu.Stop();
        var storageLine = await probe.StopAsync();
        var oneStats = await stack.EmulatorStatsAsync(http);
        var ideal = batch * LatencyMs / 1000.0 / Concurrency;
        // A batch cut short by its timeout: the work rate so far (completed jobs' ideal time over the elapsed time).
        var done = one.Outcomes.Values.Count(o => o.Completed);
        var efficiency = done * LatencyMs / 1000.0 / Concurrency / one.Makespan.TotalSeconds;
        figures.Add("efficiency (ideal/makespan)", Stats.F(efficiency) + (done == batch ? "" : $" ({done}/{batch} done)"), "≥ 0.85", done == batch && efficiency >= 0.85);
        figures.Add("throughput (jobs/min)", Stats.F(one.Outcomes.Count / one.Makespan.TotalMinutes, "0.0"), $"≥ {Stats.F(0.85 * batch / ideal * 60, "0.0")} (0.85 of ideal)", null);
        figures.Detail($"efficiency: {one.Outcomes.Values.Count(o => o.Completed)}/{batch} completed, makespan {Stats.F(one.Makespan.TotalSeconds, "0.0")} s, ideal {Stats.F(ideal, "0.0")} s, POSTs took {Stats.F(one.SubmitTime.TotalSeconds, "0.0")} s; emulator maxInFlight {oneStats["maxInFlight"]}, inferences {oneStats["inferencesAccepted"]}");
        var windowS = (double)oneStats["inferenceWindowMs"]! / 1000;
        if (windowS > 0)
        {
            // Where the makespan goes: the emulator's busy window (first inference started → last ended), how full the
            // slots were in it, and the rest (first POST → first inference, last inference → last manifest).
            var meanInFlight = (double)oneStats["inFlightMs"]! / 1000 / windowS;
            figures.Detail($"efficiency slots: inferences ran over {Stats.F(windowS, "0.0")} s of the {Stats.F(one.Makespan.TotalSeconds, "0.0")} s makespan, mean in flight {Stats.F(meanInFlight, "0.00")} of {Concurrency} ({Stats.F(meanInFlight / Concurrency * 100, "0")} %)");
            if (oneStats["firstInferenceStartedAt"] is { } firstAt && oneStats["lastInferenceEndedAt"] is { } lastAt)
            {
                var head = ((long)firstAt - one.StartedAt.ToUnixTimeMilliseconds()) / 1000.0;
                var tail = one.Makespan.TotalSeconds - (((long)lastAt - one.StartedAt.ToUnixTimeMilliseconds()) / 1000.0);
                figures.Detail($"efficiency outside the inferences: first inference {Stats.F(head, "0.00")} s after the first POST, last manifest seen {Stats.F(tail, "0.00")} s after the last inference ended (manifests polled every 250 ms)");
            }
        }

        if ((long)oneStats["resultsFetched"]! is var fetched and > 0)
        {
            // A finished result waits for the runner's next poll while its slot stays taken: the main cost between inferences.
            figures.Detail($"efficiency result pickup: {fetched} results fetched a mean {Stats.F((double)(long)oneStats["resultFetchDelayMs"]! / fetched, "0")} ms after they were ready (max {oneStats["resultFetchMaxDelayMs"]} ms)");
        }

        figures.Detail("efficiency " + cpuLine);
        figures.Detail("efficiency " + storageLine);
        var batchStart = one.Outcomes.Count == 0 ? TimeSpan.Zero : one.Outcomes.Values.Max(o => o.SeenAt) - one.Makespan;
        foreach (var last in one.Outcomes.Values.Where(o => o.Completed).OrderByDescending(o => o.SeenAt).Take(3))
        {
            // The jobs that set the makespan: when they ended and where their time went.
            var stages = last.Record["timingsMs"] is JsonObject t ? string.Join(", ", t.Select(kv => $"{kv.Key} {(double)kv.Value!:0}")) : "";
            figures.Detail($"efficiency last manifests: {last.Blob.Split('/')[^3]} seen at {Stats.F((last.SeenAt - batchStart).TotalSeconds, "0.0")} s, created {last.Record["createdAt"]}, completed {last.Record["completedAt"]}; stages (ms): {stages}");
        }

        foreach (var (stage, mean, stageP95) in BatchScenario.StageBreakdown(one.Outcomes.Values))
        {
            figures.Detail($"efficiency stage {stage,-36} mean {Stats.F(mean / 1000, "0.00")} s  p95 {Stats.F(stageP95 / 1000, "0.00")} s");
        }

        return one;
    }

    private static async Task ScaleOutAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, int batch, BatchScenario.Result one)
    {
        // 2. Scale-out: the same batch with two runner processes on one task hub.
        Step($"scale-out: the same {batch} jobs on two runner processes sharing one task hub");
        var b1 = await stack.StartRunnerAsync("runner-b1", "benchtwo");
        var b2 = await stack.StartRunnerAsync("runner-b2", "benchtwo");
        await stack.ResetEmulatorStatsAsync(http);
        var two = await BatchScenario.RunAsync(client, [b1.BaseAddress, b2.BaseAddress], "two", batch, TimeSpan.FromSeconds(120));
        await Task.Delay(3000);
        var twoStats = await stack.EmulatorStatsAsync(http);
        var blobs = await client.OutputBlobsAsync("redux/api/two-");
        var manifests = blobs.Where(b => b.EndsWith("/manifest.json", StringComparison.Ordinal)).ToList();
        var byJob = blobs.GroupBy(b => b.Split('/')[^2]).ToDictionary(g => g.Key, g => g.Count());
        var duplicatedOutputs = manifests.Count - manifests.Select(m => m.Split('/')[^2]).Distinct().Count();
        var extraImages = byJob.Values.Sum(c => Math.Max(0, c - 2));
        var duplicateInferences = (long)twoStats["inferencesAccepted"]! - batch + (long)twoStats["duplicateSubmissions"]!;
        var duplicates = duplicatedOutputs + extraImages + Math.Max(0, duplicateInferences);
        // Makespan ratio; for batches cut short by their timeout, the ratio of completed jobs per second.
        var ratio = (two.Outcomes.Values.Count(o => o.Completed) / two.Makespan.TotalSeconds) / (one.Outcomes.Values.Count(o => o.Completed) / one.Makespan.TotalSeconds);
        figures.Add("scale-out makespan 1 / 2 runners", $"{Stats.F(ratio)}×", "(no target)", two.Outcomes.Count == batch ? null : false);
        figures.Add("scale-out duplicated outputs", duplicates.ToString(CultureInfo.InvariantCulture), "0", duplicates == 0 && two.Outcomes.Count == batch);
        figures.Detail($"scale-out: {two.Outcomes.Values.Count(o => o.Completed)}/{batch} completed, makespan {Stats.F(two.Makespan.TotalSeconds, "0.0")} s vs {Stats.F(one.Makespan.TotalSeconds, "0.0")} s on one runner; {manifests.Count} manifests, {extraImages} extra blobs, emulator inferences {twoStats["inferencesAccepted"]}, duplicateSubmissions {twoStats["duplicateSubmissions"]}, maxInFlight {twoStats["maxInFlight"]}");
        stack.StopRunner(b1);
        stack.StopRunner(b2);
    }

    private static async Task SasBytesAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures)
    {
        // 3. Bytes in sas-url mode: Runware fetches the images itself.
        Step("bytes: sas-url mode, one job per tool");
        var s = await stack.StartRunnerAsync("runner-sas", "benchsas", new Dictionary<string, string> { ["Runware__ImageTransfer"] = "sas-url" });
        var sas = await OverheadScenario.RunAsync(stack, client, http, s.BaseAddress, "sas", rounds: 1);
        var worstSas = sas.MaxBy(x => x.Ratio)!;
        figures.Add("bytes/input, sas-url (worst job)", Stats.F(worstSas.Ratio, "0.000"), "≈ 0 (≤ 0.050)", worstSas.Ratio <= 0.05);
        figures.Detail("bytes sas-url: " + string.Join(", ", sas.Select(x => $"{x.Tool} {x.Bytes} B ({Stats.F(x.Ratio, "0.000")})")));
        stack.StopRunner(s);
    }

    private static async Task MemoryAsync(BenchStack stack, JobClient client, Figures figures)
    {
        // 4. Memory: a fresh runner, four 2048² jobs at once.
        Step("memory: a fresh runner, four 2048² jobs (one per tool) at once");
        var m = await stack.StartRunnerAsync("runner-mem", "benchmem");
        var mem = await MemoryScenario.RunAsync(client, m);
        const double MiB = 1024 * 1024;
        var peakMb = Math.Max(mem.HighWaterMark, mem.SampledPeak) / 1e6;
        figures.Add("runner peak RSS, 4×2048² (MB, 10^6)", Stats.F(peakMb, "0"), "≤ 400", peakMb <= 400);
        figures.Detail($"memory: RSS before {Stats.F(mem.BaselineRss / MiB, "0")} MiB, sampled peak {Stats.F(mem.SampledPeak / MiB, "0")} MiB, VmHWM {Stats.F(mem.HighWaterMark / MiB, "0")} MiB; {mem.Completed}/4 completed in {Stats.F(mem.Seconds, "0.0")} s");
        stack.StopRunner(m);
    }

    private static string StageMedians(IEnumerable<JsonNode> manifests)
    {
        var perStage = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            if (manifest["timingsMs"] is JsonObject timings)
            {
                foreach (var (stage, value) in timings)
                {
                    if (!perStage.TryGetValue(stage, out var list))
                    {
                        perStage[stage] = list = [];
                    }

                    list.Add((double)value!);
                }
            }
        }

        return string.Join(", ", perStage.Select(kv => $"{kv.Key} {Stats.F(Stats.Median(kv.Value), "0")}"));
    }

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Step(string message) => Console.WriteLine($"==> [{DateTime.UtcNow:HH:mm:ss}] {message}");
}
