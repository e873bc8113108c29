using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Testing;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// The pipeline benchmark behind <c>scripts/bench.sh</c>, every figure measured in one run on this machine (nothing
/// hard-coded), printed one line per figure beside its target and written to <c>.artifacts/bench.txt</c>: overhead and
/// efficiency on each result delivery path (<see cref="DeliveryPath"/>), capacity when Runware is not the limit (queue
/// messages and table operations per job counted by <see cref="StorageCounter"/>), bytes sent, scale-out, memory, canny.
/// Options: <c>--only paths|scaleout|capacity|memsas|canny</c> (scaleout: the watch path, then two runners on one task
/// hub), <c>--paths watch,poll,webhook</c>, <c>--jobs N</c> (efficiency batch), <c>--rounds N</c> (overhead rounds), <c>--capacity-jobs N</c>, <c>--capacity-phases count,steady,steady-blob,api,blob,two</c>
/// (default all), <c>--capacity-rate R</c> (jobs offered per second in the steady phases, 12),
/// <c>--runner-setting K=V</c>.
/// </summary>
internal static class PipelineBench
{
    private const int LatencyMs = 2000;
    private const int Concurrency = 8;
    private const int CapacityLatencyMs = 200;
    private const int CapacitySlots = 64;

    // A client in another region than Runware's API (assumed: Runware publishes no figure; 50 ms is a cross-region round
    // trip within one continent).
    private const int RoundTripMs = 50;

    /// <summary>The options <see cref="RunAsync"/> reads; each takes one value.</summary>
    private static readonly string[] Options = ["--jobs", "--rounds", "--capacity-jobs", "--capacity-rate", "--only", "--capacity-phases", "--paths", "--runner-setting"];

    public static async Task<int> RunAsync(string[] args)
    {
        // A misspelt option would otherwise run the whole 35-minute bench with defaults.
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!Options.Contains(args[i], StringComparer.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine(Options.Contains(args[i], StringComparer.Ordinal)
                    ? $"bench: {args[i]} needs a value."
                    : $"bench: unknown option '{args[i]}'; the options are {string.Join(", ", Options)} (each with a value), or --micro / --batch-status first (scripts/bench.sh --help).");
                return 2;
            }
        }

        var batch = IntArg(args, "--jobs", 200);
        var rounds = IntArg(args, "--rounds", 5);
        var capacityJobs = IntArg(args, "--capacity-jobs", 2000);
        var capacityRate = IntArg(args, "--capacity-rate", 12);
        var only = StringArg(args, "--only");
        var capacityPhases = (StringArg(args, "--capacity-phases") ?? "count,steady,steady-blob,api,blob,two").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var paths = (StringArg(args, "--paths") ?? "watch,poll,webhook").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(DeliveryPath.Named).ToList();
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
        figures.Add("machine speed, start (ms)", Stats.F(MachineSpeed.PrepareMs(), "0.0"), "—", null);
        var reduxPrepareMs = MachineSpeed.MedianMs(photo => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(new EditSpec { Tool = FluxTool.Redux, Width = 1024, Height = 1024 }), photo)));
        var cannyPrepareMs = MachineSpeed.MedianMs(photo => ImagePreparer.Prepare(new PrepareRequest(ImageEdits.From(new EditSpec { Tool = FluxTool.Canny, Preprocess = PreprocessSpec.Default with { Mode = PreprocessMode.Local }, Width = 1024, Height = 1024 }), photo)));
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
                    await RunPipelineScenariosAsync(stack, client, http, figures, new Plan(batch, rounds, capacityJobs, capacityRate, capacityPhases, only, paths));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or Azure.RequestFailedException or IOException)
            {
                ok = false;
                figures.Detail($"ERROR: the pipeline scenarios stopped: {ex.Message} (logs: {Path.Combine(work, "logs")})");
                Console.Error.WriteLine(ex);
            }
        }

        // Before the canny scenario, which changes how this process's C heap gives memory back.
        var endSpeedMs = MachineSpeed.PrepareMs();
        if (only is null or "canny")
        {
            Step("canny: local vs OpenCV on a 2048² image");
            var canny = CannyScenario.Run();
            var cannyRatio = canny.LocalMs / canny.OpenCvMs;
            figures.Add("canny 2048² local / OpenCV", $"{Stats.F(cannyRatio)}×", "≤ 1.25×", cannyRatio <= 1.25);
            figures.Detail($"canny: local {Stats.F(canny.LocalMs, "0.0")} ms, OpenCV {Stats.F(canny.OpenCvMs, "0.0")} ms (median of {canny.Runs} each, alternated, after 3 of each; {canny.OpenCvVersion}, {canny.OpenCvThreads} threads); page faults in one call: local {canny.LocalFaults}, OpenCV {canny.OpenCvFaults} (edge map in a pooled array; {canny.Allocator}); local first call in this process {Stats.F(canny.LocalFirstMs, "0.0")} ms (compiling included, a new array); edge pixels local {canny.LocalEdges}, OpenCV {canny.OpenCvEdges}");
        }

        figures.Add("machine speed, end (ms)", Stats.F(endSpeedMs, "0.0"), "—", null);
        figures.Detail("machine speed: the bench's 1024² JPEG decoded in the bench's own process (header checks, full decode to RGBA; median of 15), at the start and the end of the run (before canny): a fixed piece of the pipeline's CPU work on this machine at that hour, to compare runs by");
        figures.Detail($"machine speed: the same JPEG prepared for a 1024² Redux job at the start (checked and sent as it came): {Stats.F(reduxPrepareMs, "0.0")} ms; for a 1024² Canny job (decoded, luma, local edges, edge map PNG): {Stats.F(cannyPrepareMs, "0.0")} ms");
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

    private sealed record Plan(int Batch, int Rounds, int CapacityJobs, int CapacityRate, IReadOnlySet<string> CapacityPhases, string? Only, IReadOnlyList<DeliveryPath> Paths);

    private static async Task RunPipelineScenariosAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, Plan plan)
    {
        if (plan.Only is null or "paths" or "scaleout")
        {
            // 1. Each result delivery path on its own warm runner: overhead and bytes per job, then the efficiency batch
            // (with --only scaleout, the watch path alone and then the scale-out phase).
            BatchScenario.Result? watched = null;
            foreach (var path in plan.Only == "scaleout" ? plan.Paths.Where(p => p.Name == "watch") : plan.Paths)
            {
                var one = await PathAsync(stack, client, http, figures, path, plan);
                watched ??= path.Name == "watch" ? one : null;
            }

            if (plan.Only is null or "scaleout" && watched is not null)
            {
                await ScaleOutAsync(stack, client, http, figures, plan.Batch, watched);
            }
        }

        if (plan.Only is null or "capacity")
        {
            await CapacityAsync(stack, client, http, figures, plan.CapacityJobs, plan.CapacityRate, plan.CapacityPhases);
        }

        if (plan.Only is null or "memsas")
        {
            await SasBytesAsync(stack, client, http, figures);
            await MemoryAsync(stack, http, client.Clock, figures);
        }
    }

    /// <summary>Overhead (one job at a time, every tool) and efficiency (the batch) on one delivery path.</summary>
    private static async Task<BatchScenario.Result> PathAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, DeliveryPath path, Plan plan)
    {
        Step($"path {path.Name} ({path.Description}): warming up a runner, one job per tool");
        var runner = await stack.StartRunnerAsync($"runner-{path.Name}", $"bench{path.Name}", path.Settings);
        try
        {
            await OverheadScenario.RunAsync(stack, client, http, runner.BaseAddress, $"{path.Name}-warm", rounds: 1);
            Step($"overhead [{path.Name}]: {plan.Rounds} rounds × 4 tools, one job at a time, 1024² JPEG, inference {LatencyMs} ms");
            var samples = await OverheadScenario.RunAsync(stack, client, http, runner.BaseAddress, $"{path.Name}-ov", plan.Rounds);
            if (plan.Rounds > 0)
            {
                ReportOverhead(figures, samples, path);
                if (path.Name == "watch")
                {
                    await DistantOverheadAsync(stack, client, http, figures, runner, path, plan.Rounds);
                }
            }

            return await EfficiencyAsync(stack, client, http, figures, runner, plan.Batch, path);
        }
        finally
        {
            stack.StopRunner(runner);
        }
    }

    /// <summary>
    /// Capacity when Runware is not the limit (inference <see cref="CapacityLatencyMs"/> ms, <see cref="CapacitySlots"/>
    /// slots): queue messages and table operations per job counted on a first batch through a counting proxy; the rate at
    /// steady state, jobs offered at <paramref name="rate"/> per second through the HTTP API and as blob drops (the
    /// figures with the target); then how a burst drains — the whole batch submitted at once through the HTTP API, as blob
    /// drops, and through the HTTP API on two runners.
    /// </summary>
    private static async Task CapacityAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, int jobs, int rate, IReadOnlySet<string> phases)
    {
        // A fresh emulator per phase: one that has served a 2000-job batch holds a gigabyte of images, and its garbage
        // collection took half a core from the next phase (3.2 CPU s per job instead of 0.02; the batch after it collapsed).
        ServerProcess? fast = null;
        var settings = new Dictionary<string, string>
        {
            ["Flux__MaxConcurrentInferences"] = CapacitySlots.ToString(CultureInfo.InvariantCulture),
            ["Durable__MaxConcurrentActivities"] = (CapacitySlots * 3).ToString(CultureInfo.InvariantCulture),
            ["Durable__MaxConcurrentOrchestrations"] = "64",
        };
        async Task FreshEmulatorAsync()
        {
            if (fast is not null)
            {
                stack.StopEmulator(fast);
            }

            fast = await stack.StartEmulatorAsync("emulator-fast", CapacityLatencyMs);
            settings["Runware__BaseUrl"] = new Uri(fast.BaseAddress, "v1").ToString();
        }

        var timeout = TimeSpan.FromSeconds(Math.Max(120, jobs / 3));
        CapacityScenario.Result? viaApi = null;

        // a. What a job costs the storage account, counted at a proxy in front of the queue and table services.
        if (phases.Contains("count"))
        {
            await FreshEmulatorAsync();
            await CountStorageAsync(stack, client, figures, settings, timeout);
        }

        // b. The rate at steady state: jobs offered at a fixed rate above the target, through each door, one runner.
        foreach (var (phase, door) in new[] { ("steady", "api"), ("steady-blob", "blob") })
        {
            if (!phases.Contains(phase))
            {
                continue;
            }

            await FreshEmulatorAsync();
            var hub = phase.Replace("-", "", StringComparison.Ordinal);
            var runner = await stack.StartRunnerAsync($"runner-{phase}", $"bench{hub}", _ => settings);
            Step($"capacity: {jobs} jobs offered at {rate}/s {(door == "api" ? "through the HTTP API" : "as blob drops")}, one runner");
            var steady = door == "api"
                ? await SteadyLoadScenario.HttpAsync(client, runner.BaseAddress, stack.Processes(), $"cap-{phase}", jobs, rate, CapacityLatencyMs, timeout)
                : await SteadyLoadScenario.BlobAsync(client, stack.Blobs, stack.Processes(), $"cap-{phase}", jobs, rate, CapacityLatencyMs, timeout);
            ReportSteady(figures, steady, door, target: 10);
            stack.StopRunner(runner);
            await stack.DropHubAsync($"bench{hub}");
        }

        // c–e. A burst: the whole batch submitted at once, one runner through the API, one runner as blob drops, two runners through the API.
        // Each phase on a runner and task hub of its own, deleted afterwards, so one phase's leftovers do not slow the next.
        if (phases.Contains("api"))
        {
            await FreshEmulatorAsync();
            var one = await stack.StartRunnerAsync("runner-cap", "benchcap", _ => settings);
            Step($"capacity: {jobs} jobs through the HTTP API, one runner");
            viaApi = await CapacityScenario.HttpAsync(client, [one.BaseAddress], stack.Processes(), "cap-api", jobs, CapacityLatencyMs, timeout);
            ReportCapacity(figures, viaApi, runners: 1);
            stack.StopRunner(one);
            await stack.DropHubAsync("benchcap");
        }

        if (phases.Contains("blob"))
        {
            await FreshEmulatorAsync();
            var dropper = await stack.StartRunnerAsync("runner-capblob", "benchcapblob", _ => settings);
            Step($"capacity: {jobs} jobs as blob drops (image + options file), one runner");
            var viaBlobs = await CapacityScenario.BlobAsync(client, stack.Blobs, stack.Processes(), "cap-blob", jobs, CapacityLatencyMs, timeout);
            ReportCapacity(figures, viaBlobs, runners: 1);
            stack.StopRunner(dropper);
            await stack.DropHubAsync("benchcapblob");
        }

        if (phases.Contains("two"))
        {
            Step($"capacity: {jobs} jobs through the HTTP API, two runners on one task hub");
            await FreshEmulatorAsync();
            var a = await stack.StartRunnerAsync("runner-cap2a", "benchcap2", _ => settings);
            var b = await stack.StartRunnerAsync("runner-cap2b", "benchcap2", _ => settings);
            var two = await CapacityScenario.HttpAsync(client, [a.BaseAddress, b.BaseAddress], stack.Processes(), "cap-two", jobs, CapacityLatencyMs, timeout);
            ReportCapacity(figures, two, runners: 2);
            if (viaApi is not null)
            {
                figures.Detail($"capacity two runners / one: {Stats.F((two.Completed / Math.Max(0.001, two.Makespan.TotalSeconds)) / Math.Max(0.001, viaApi.Completed / Math.Max(0.001, viaApi.Makespan.TotalSeconds)))}×");
            }

            stack.StopRunner(a);
            stack.StopRunner(b);
            await stack.DropHubAsync("benchcap2");
        }

        figures.Detail("capacity context (not a target): Durable Functions on Azure Storage, one A1 VM (published): about 5 sequential activities/s, " +
            "100 fan-out activities/s, 150 fan-in responses/s; one job here is 1 activity (preparing, its inference watched, the results stored), no timer and no event on the usual path");
        if (fast is not null)
        {
            stack.StopEmulator(fast);
        }
    }

    /// <summary>Queue messages and table operations per job, counted at a proxy in front of the queue and table services.</summary>
    private static async Task CountStorageAsync(BenchStack stack, JobClient client, Figures figures, Dictionary<string, string> settings, TimeSpan timeout)
    {
        const int Counted = 200;
        Step($"capacity: {Counted} jobs through a proxy counting queue and table requests (inference {CapacityLatencyMs} ms, {CapacitySlots} slots)");
        await using var counter = await StorageCounter.StartAsync(stack.QueuePort, stack.TablePort, stack.BlobEndpoint);
        var counted = await stack.StartRunnerAsync("runner-count", "benchcount", _ => new Dictionary<string, string>(settings) { ["AzureWebJobsStorage"] = counter.ConnectionString });
        await BatchScenario.RunAsync(client, [counted.BaseAddress], "count-warm", 20, timeout, pollEvery: TimeSpan.FromSeconds(1));
        counter.Reset();
        var batch = await BatchScenario.RunAsync(client, [counted.BaseAddress], "count", Counted, timeout, pollEvery: TimeSpan.FromSeconds(1));
        var done = batch.Outcomes.Values.Count(o => o.Completed);
        var messages = counter.MessagesSent / (double)Math.Max(1, done);
        figures.Add("queue messages per job", Stats.F(messages, "0.0"), "≤ 6.0", done == Counted && messages <= 6.0);
        figures.Add("table operations per job", Stats.F(counter.TableRequests / (double)Math.Max(1, done), "0.0"), "(no target)", null);
        figures.Detail($"capacity storage: {done}/{Counted} jobs; {counter.MessagesSent} messages sent, {counter.QueueRequests} queue requests in all, {counter.TableRequests} table requests; by kind: {string.Join(", ", counter.Counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}");
        figures.Detail($"capacity storage per job, by table and queue: {string.Join(", ", counter.Targets.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {Stats.F(kv.Value / (double)Math.Max(1, done), "0.0")}"))}");
        stack.StopRunner(counted);
        await stack.DropHubAsync("benchcount");
    }

    private static void ReportSteady(Figures figures, SteadyLoadScenario.Result r, string door, double target)
    {
        var all = r.Completed == r.Jobs;
        figures.Add($"capacity at steady state, {door} (jobs/s, 1 runner)", Stats.F(r.JobsPerSecond, "0.0") + (all ? "" : $" ({r.Completed}/{r.Jobs} done)"), $"≥ {Stats.F(target, "0")}", all && r.JobsPerSecond >= target);
        figures.Detail($"capacity {r.Label}: {r.Jobs} jobs offered at {Stats.F(r.Offered, "0.0")}/s, {r.Completed} completed; in the steady window ({Stats.F(r.WindowSeconds, "0.0")} s, from the 20 % job's send to the last send) " +
            $"{Stats.F(r.JobsPerSecond, "0.0")} jobs/s = {Stats.F(r.JobsPerSecond / Environment.ProcessorCount, "0.0")} per core, backlog (sent, not completed) {r.BacklogAtStart} → {r.BacklogAtEnd}; " +
            $"sent → completed minus the inference: median {Stats.F(r.MedianBeyondInferenceS)} s, p95 {Stats.F(r.P95BeyondInferenceS)} s; " +
            $"CPU s/job: {string.Join(", ", r.CpuPerJob.Select(c => $"{c.Name} {Stats.F(c.Seconds, "0.000")}"))} (sum {Stats.F(r.CpuPerJob.Sum(c => c.Seconds), "0.000")}; the emulator stands in for Runware)");
    }

    private static void ReportCapacity(Figures figures, CapacityScenario.Result r, int runners)
    {
        // The whole burst: completed jobs over first submission to last manifest (no target: the steady-state figures above
        // carry it). The rate between the 10th and the 90th percentile completion is printed beside it but flatters: a batch
        // submitted faster than it is carried queues its starts ahead of its finishes, so completions bunch up late.
        var overall = r.Completed / Math.Max(0.001, r.Makespan.TotalSeconds);
        var name = $"capacity burst {r.Label} (jobs/s, {runners} runner{(runners > 1 ? "s" : "")})";
        figures.Add(name, Stats.F(overall, "0.0") + (r.Completed == r.Jobs ? "" : $" ({r.Completed}/{r.Jobs} done)"), "(no target)", null);
        figures.Detail($"capacity {r.Label}: all {r.Jobs} submitted at once; {r.Completed} completed in {Stats.F(r.Makespan.TotalSeconds, "0.0")} s (submitted in {Stats.F(r.SubmitSeconds, "0.0")} s): {Stats.F(overall, "0.0")} jobs/s = {Stats.F(overall / runners / Environment.ProcessorCount, "0.0")} per runner per core; " +
            $"10th to 90th percentile completion {Stats.F(r.SteadyJobsPerSecond, "0.0")} jobs/s; " +
            $"created → completed minus the inference: median {Stats.F(r.MedianBeyondInferenceS)} s, p95 {Stats.F(r.P95BeyondInferenceS)} s (the batch queues: most of it is waiting for a worker); " +
            $"CPU s/job: {string.Join(", ", r.CpuPerJob.Select(c => $"{c.Name} {Stats.F(c.Seconds, "0.000")}"))}");
    }

    /// <summary>
    /// The overhead again with Runware <see cref="RoundTripMs"/> away (the emulator delays each of its requests and image
    /// downloads by that round trip): on loopback a request costs next to nothing, so this shows what the requests a job
    /// makes one after another cost against the real service. Printed as information beside the loopback figure.
    /// </summary>
    private static async Task DistantOverheadAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, ServerProcess runner, DeliveryPath path, int rounds)
    {
        Step($"overhead [{path.Name}] with Runware {RoundTripMs} ms away: {rounds} rounds × 4 tools, one job at a time");
        await stack.SetRoundTripAsync(http, RoundTripMs);
        try
        {
            var samples = await OverheadScenario.RunAsync(stack, client, http, runner.BaseAddress, $"{path.Name}-far", rounds);
            var median = Stats.Median(samples.Select(s => s.OverheadMs / 1000));
            figures.Add($"overhead median (s) [{path.Name}, Runware {RoundTripMs} ms away]", Stats.F(median), "—", null);
            foreach (var g in samples.GroupBy(s => s.Tool))
            {
                figures.Detail($"overhead [{path.Name}, {RoundTripMs} ms away] {g.Key,-5}: median {Stats.F(Stats.Median(g.Select(s => s.OverheadMs / 1000)))} s, " +
                    $"Runware requests per job (median) {Stats.Median(g.Select(s => (double)s.RunwareRequests)):0}; stages (median ms): {StageMedians(g.Select(s => s.Manifest))}");
            }
        }
        finally
        {
            await stack.SetRoundTripAsync(http, 0);
        }
    }

    private static void ReportOverhead(Figures figures, List<OverheadScenario.Sample> samples, DeliveryPath path)
    {
        var overheads = samples.Select(s => s.OverheadMs / 1000).ToList();
        var median = Stats.Median(overheads);
        var p95 = Stats.Percentile(overheads, 95);
        figures.Add($"overhead median (s) [{path.Name}]", Stats.F(median), $"≤ {Stats.F(path.OverheadMedianTarget)}", median <= path.OverheadMedianTarget);
        figures.Add($"overhead p95 (s) [{path.Name}]", Stats.F(p95), "≤ 3.00", p95 <= 3.0);
        foreach (var g in samples.GroupBy(s => s.Tool))
        {
            figures.Detail($"overhead [{path.Name}] {g.Key,-5}: median {Stats.F(Stats.Median(g.Select(s => s.OverheadMs / 1000)))} s, max {Stats.F(g.Max(s => s.OverheadMs) / 1000)} s; stages (median ms): {StageMedians(g.Select(s => s.Manifest))}");
        }

        if (path.Name != "watch")
        {
            return;
        }

        var worstUpload = samples.MaxBy(s => s.Ratio)!;
        figures.Add("bytes/input, upload (worst job)", Stats.F(worstUpload.Ratio, "0.000"), "≤ 1.400", worstUpload.Ratio <= 1.40);
        foreach (var g in samples.GroupBy(s => s.Tool))
        {
            var first = g.First();
            figures.Detail($"bytes upload {g.Key,-5}: {first.Bytes} bytes sent for a {first.InputBytes}-byte input = {Stats.F(first.Ratio, "0.000")} (max over rounds {Stats.F(g.Max(x => x.Ratio), "0.000")}; manifest bytesSent {first.Manifest["runware"]?["bytesSent"]})");
        }

    }

    private static async Task<BatchScenario.Result> EfficiencyAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, ServerProcess a, int batch, DeliveryPath path)
    {
        Step($"efficiency [{path.Name}]: {batch} Redux jobs (512²), inference {LatencyMs} ms, MaxConcurrentInferences={Concurrency}");
        await stack.ResetEmulatorStatsAsync(http);
        var cpu = CpuMeter.Start(stack.Processes());
        await using var probe = StorageProbe.Start(stack.StorageServices());
        var one = await BatchScenario.RunAsync(client, [a.BaseAddress], $"eff-{path.Name}", batch, TimeSpan.FromSeconds(150));
        var cpuLine = cpu.Stop();
        var storageLine = await probe.StopAsync();
        var oneStats = await stack.EmulatorStatsAsync(http);
        var ideal = batch * LatencyMs / 1000.0 / Concurrency;
        // A batch cut short by its timeout: the work rate so far (completed jobs' ideal time over the elapsed time).
        var done = one.Outcomes.Values.Count(o => o.Completed);
        var efficiency = done * LatencyMs / 1000.0 / Concurrency / one.Makespan.TotalSeconds;
        figures.Add($"efficiency [{path.Name}]", Stats.F(efficiency, "0.000") + (done == batch ? "" : $" ({done}/{batch} done)"), $"≥ {Stats.F(path.EfficiencyTarget)}", done == batch && efficiency >= path.EfficiencyTarget);
        figures.Detail($"efficiency [{path.Name}] throughput {Stats.F(one.Outcomes.Count / one.Makespan.TotalMinutes, "0.0")} jobs/min (ideal {Stats.F(batch / ideal * 60, "0.0")})");
        figures.Detail($"efficiency [{path.Name}]: {one.Outcomes.Values.Count(o => o.Completed)}/{batch} completed, makespan {Stats.F(one.Makespan.TotalSeconds, "0.0")} s, ideal {Stats.F(ideal, "0.0")} s, POSTs took {Stats.F(one.SubmitTime.TotalSeconds, "0.0")} s; emulator maxInFlight {oneStats["maxInFlight"]}, inferences {oneStats["inferencesAccepted"]}");
        var windowS = (double)oneStats["inferenceWindowMs"]! / 1000;
        if (windowS > 0)
        {
            // Where the makespan goes: the emulator's busy window (first inference started → last ended), how full the
            // slots were in it, and the rest (first POST → first inference, last inference → last manifest).
            var meanInFlight = (double)oneStats["inFlightMs"]! / 1000 / windowS;
            figures.Detail($"efficiency [{path.Name}] slots: inferences ran over {Stats.F(windowS, "0.0")} s of the {Stats.F(one.Makespan.TotalSeconds, "0.0")} s makespan, mean in flight {Stats.F(meanInFlight, "0.00")} of {Concurrency} ({Stats.F(meanInFlight / Concurrency * 100, "0")} %)");
            if (oneStats["firstInferenceStartedAt"] is { } firstAt && oneStats["lastInferenceEndedAt"] is { } lastAt)
            {
                var head = ((long)firstAt - one.StartedAt.ToUnixTimeMilliseconds()) / 1000.0;
                var tail = one.Makespan.TotalSeconds - (((long)lastAt - one.StartedAt.ToUnixTimeMilliseconds()) / 1000.0);
                if (oneStats["firstStartsMs"] is JsonArray starts && starts.Count >= Concurrency)
                {
                    // Slots filled late stay out of phase to the end: the last inferences end as far apart as the first began.
                    var filled = starts.Take(Concurrency).Select(s => Stats.F((long)s! / 1000.0, "0.00"));
                    figures.Detail($"efficiency [{path.Name}] slots filled: the first {Concurrency} inferences started at +{string.Join(", +", filled)} s after the first one");
                    figures.Detail($"efficiency [{path.Name}] first {Concurrency} jobs POSTed: {BatchScenario.FirstJobs(one, Concurrency)}");
                }

                figures.Detail($"efficiency [{path.Name}] outside the inferences: first inference {Stats.F(head, "0.00")} s after the first POST, last manifest seen {Stats.F(tail, "0.00")} s after the last inference ended (manifests listed every 250 ms, every 25 ms for the last eight)");
            }
        }

        if ((long)oneStats["resultsFetched"]! is var fetched and > 0)
        {
            // A finished result waits for the runner's next poll while its slot stays taken: the main cost between inferences.
            figures.Detail($"efficiency [{path.Name}] result pickup: {fetched} results fetched a mean {Stats.F((double)(long)oneStats["resultFetchDelayMs"]! / fetched, "0")} ms after they were ready (max {oneStats["resultFetchMaxDelayMs"]} ms)");
            // What the pickup costs: getResponse polls per inference (Runware's own SDK polls every 2 s: one per two seconds of inference).
            figures.Detail($"efficiency [{path.Name}] result polls: {Stats.F((double)(long)oneStats["resultPolls"]! / fetched, "0.00")} getResponse polls per inference ({oneStats["resultPolls"]} for {fetched} results)");
            if ((long)oneStats["resultsFetchedAtFirstPoll"]! is var atFirst and > 0)
            {
                // The pickup split: results the first poll found (how late it was aimed) and those a later poll found (how soon they came after a miss).
                var firstDelay = (long)oneStats["resultFetchAtFirstPollDelayMs"]!;
                var laterDelay = (long)oneStats["resultFetchDelayMs"]! - firstDelay;
                figures.Detail($"efficiency [{path.Name}] result pickup split: {atFirst} found by the task's first poll, a mean {Stats.F((double)firstDelay / atFirst, "0")} ms after ready; {fetched - atFirst} by a later poll, {(fetched > atFirst ? Stats.F((double)laterDelay / (fetched - atFirst), "0") : "-")} ms");
            }
        }

        if ((long)oneStats["refills"]! is var refills and > 0)
        {
            // From a result fetched (its slot given back) to the next inference accepted: the hand-over of a slot.
            figures.Detail($"efficiency [{path.Name}] slot refill: the next inference started a mean {Stats.F((double)(long)oneStats["refillDelayMs"]! / refills, "0")} ms after a result was fetched ({refills} refills); {oneStats["taskDetailsRequests"]} submissions looked their task up first (getTaskDetails)");
        }

        var (meanPlaces, mostPlaces, latestJob) = BatchScenario.OrderKept(one);
        figures.Detail($"efficiency [{path.Name}] order kept: jobs finished a mean {Stats.F(meanPlaces, "0.0")} places from their POST order; the latest {mostPlaces} places behind ({latestJob})");
        figures.Detail($"efficiency [{path.Name}] " + cpuLine);
        figures.Detail($"efficiency [{path.Name}] " + storageLine);
        var batchStart = one.Outcomes.Count == 0 ? TimeSpan.Zero : one.Outcomes.Values.Max(o => o.SeenAt) - one.Makespan;
        foreach (var last in one.Outcomes.Values.Where(o => o.Completed).OrderByDescending(o => o.SeenAt).Take(3))
        {
            // The jobs that set the makespan: when they ended and where their time went.
            var stages = last.Record["timingsMs"] is JsonObject t ? string.Join(", ", t.Select(kv => $"{kv.Key} {(double)kv.Value!:0}")) : "";
            figures.Detail($"efficiency [{path.Name}] last manifests: {last.Blob.Split('/')[^3]} seen at {Stats.F((last.SeenAt - batchStart).TotalSeconds, "0.0")} s, created {last.Record["createdAt"]}, completed {last.Record["completedAt"]}; stages (ms): {stages}");
        }

        foreach (var (stage, mean, stageP95) in BatchScenario.StageBreakdown(one.Outcomes.Values))
        {
            figures.Detail($"efficiency [{path.Name}] stage {stage,-36} mean {Stats.F(mean / 1000, "0.00")} s  p95 {Stats.F(stageP95 / 1000, "0.00")} s");
        }

        return one;
    }

    private static async Task ScaleOutAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures, int batch, BatchScenario.Result one)
    {
        // 2. Scale-out: the same batch with two runner processes on one task hub.
        Step($"scale-out: the same {batch} jobs on two runner processes sharing one task hub");
        var b1 = await stack.StartRunnerAsync("runner-b1", "benchtwo", NoSettings);
        var b2 = await stack.StartRunnerAsync("runner-b2", "benchtwo", NoSettings);
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
        if (two.Outcomes.Values.OrderByDescending(o => o.SeenAt).Take(2).ToList() is [var last, var before])
        {
            // A straggler (one job long after the rest) shows here: its gap and where its time went.
            figures.Detail($"scale-out: the last job came {Stats.F((last.SeenAt - before.SeenAt).TotalSeconds, "0.0")} s after the one before it; its stages (ms): {StageMedians([last.Record])}");
        }

        stack.StopRunner(b1);
        stack.StopRunner(b2);
    }

    private static async Task SasBytesAsync(BenchStack stack, JobClient client, HttpClient http, Figures figures)
    {
        // 3. Bytes in sas-url mode: Runware fetches the images itself.
        Step("bytes: sas-url mode, one job per tool");
        var s = await stack.StartRunnerAsync("runner-sas", "benchsas", _ => new Dictionary<string, string> { ["Runware__ImageTransfer"] = "sas-url" });
        var sas = await OverheadScenario.RunAsync(stack, client, http, s.BaseAddress, "sas", rounds: 1);
        var worstSas = sas.MaxBy(x => x.Ratio)!;
        figures.Add("bytes/input, sas-url (worst job)", Stats.F(worstSas.Ratio, "0.000"), "≈ 0 (≤ 0.050)", worstSas.Ratio <= 0.05);
        figures.Detail("bytes sas-url: " + string.Join(", ", sas.Select(x => $"{x.Tool} {x.Bytes} B ({Stats.F(x.Ratio, "0.000")})")));
        stack.StopRunner(s);
    }

    private static async Task MemoryAsync(BenchStack stack, HttpClient http, Stopwatch clock, Figures figures)
    {
        // 4. Memory: a fresh runner, four 2048² jobs at once, on containers of its own (the target's figure): on the shared
        // ones it inherited every earlier phase's inputs, and its watcher listed them (a runner on 8,000 inputs idles at
        // 163–167 MiB instead of 130–134). Then the same on containers a deployment used for a while has (what listing
        // them costs the runner; no target).
        Step("memory: a fresh runner, four 2048² jobs (one per tool) at once, on empty containers of its own");
        var clean = await MemoryRunAsync(stack, http, clock, "benchmem");
        figures.Add("runner peak RSS, 4×2048² (MB, 10^6)", Stats.F(clean.PeakMb, "0"), "≤ 300", clean.PeakMb <= 300);
        figures.Detail("memory: " + clean.Line);

        const int Used = 4000;
        Step($"memory: the same on containers holding {Used} earlier drops (handled) and their outputs");
        await UsedContainers.FillAsync(stack.Blobs, MemoryContainers("benchused"), Used);
        var used = await MemoryRunAsync(stack, http, clock, "benchused");
        figures.Add($"runner peak RSS, 4×2048², {Used * 4} blobs in its containers (MB)", Stats.F(used.PeakMb, "0"), "(no target)", null);
        figures.Detail($"memory with {Used} earlier drops and their outputs in the containers ({Used * 2} inputs the watcher lists each pass, {Used * 2} outputs): " + used.Line);
    }

    /// <summary>The pipeline's containers for a phase that runs on its own: named after its hub, deleted with it.</summary>
    private static JobContainers MemoryContainers(string hub) => new($"{hub}-inputs", $"{hub}-outputs", $"{hub}-failed", $"{hub}-work", $"{hub}-quarantine");

    private static async Task<(double PeakMb, string Line)> MemoryRunAsync(BenchStack stack, HttpClient http, Stopwatch clock, string hub)
    {
        var containers = MemoryContainers(hub);
        var client = new JobClient(http, stack.Blobs, stack.ApiKey, clock, containers);
        var m = await stack.StartRunnerAsync("runner-mem", hub, _ => containers.Settings());
        var mem = await MemoryScenario.RunAsync(client, m);
        stack.StopRunner(m);
        await stack.DropHubAsync(hub);
        const double MiB = 1024 * 1024;
        return (Math.Max(mem.HighWaterMark, mem.SampledPeak) / 1e6,
            $"RSS before {Stats.F(mem.BaselineRss / MiB, "0")} MiB, sampled peak {Stats.F(mem.SampledPeak / MiB, "0")} MiB, VmHWM {Stats.F(mem.HighWaterMark / MiB, "0")} MiB; {mem.Completed}/4 completed in {Stats.F(mem.Seconds, "0.0")} s");
    }

    private static IReadOnlyDictionary<string, string> NoSettings(Uri self) => new Dictionary<string, string>();

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
