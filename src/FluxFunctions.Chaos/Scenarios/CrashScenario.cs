using FluxFunctions.Chaos.Jobs;
using FluxFunctions.Chaos.Report;
using FluxFunctions.Chaos.Stack;
using FluxFunctions.Emulator.Configuration;
using static FluxFunctions.Chaos.Scenarios.ScenarioKit;

namespace FluxFunctions.Chaos.Scenarios;

/// <summary>
/// SIGKILL of the runner at four stages (after the trigger, during the upload to Runware, after Runware accepted the
/// inference, while writing outputs), each followed by a restart on the same task hub: every job ends exactly once and
/// no inference Runware had accepted is paid for again (counted in the emulator's recorded requests).
/// </summary>
internal static class CrashScenario
{
    private const int PerRound = 6;

    /// <summary>
    /// Where the dialect runs a repeated taskUUID again (and charges it), how many may be paid twice: a submission the
    /// durable engine sends again after a kill without the job knowing it was sent (an episode that died between sending
    /// it and saving its history) goes out unchecked; two per kill is far above what the runs show (0).
    /// </summary>
    public const int PaidTwicePerKill = 2;

    public static async Task<ScenarioResult> RunAsync(ChaosStack stack, EmulatorDialect dialect, ChaosPath path, CancellationToken ct)
    {
        var scope = new Scope(stack, $"crash-{dialect.Name}-{path.Name}");
        await scope.CreateAsync();
        using var emulator = await stack.StartEmulatorAsync(scope.Name, EmulatorSettings(2500, dialect: dialect));
        var settings = scope.RunnerSettings(emulator, path.Settings);
        using var runner = await RunnerHandle.StartAsync(stack, scope.Name, settings);
        var all = new List<DroppedJob>();
        var kills = new List<string>();
        var problems = new List<string>();
        var deadline = DateTime.UtcNow.AddMinutes(6);

        async Task RoundAsync(string stage, Func<List<DroppedJob>, Task<string?>> waitForStage, string? options = null, string? faultsDuringRound = null)
        {
            if (faultsDuringRound is not null)
            {
                await emulator.SetFaultsAsync(faultsDuringRound);
            }

            var jobs = await DropManyAsync(PerRound, i => options is null ? scope.DropValidAsync(stage, all.Count + i) : scope.DropAsync($"redux/{stage}/r{all.Count + i}.png", ChaosImages.Photo(320, 320, i, SkiaSharp.SKEncodedImageFormat.Png), "valid", options));
            all.AddRange(jobs);
            var seen = await waitForStage(jobs);
            if (seen is null)
            {
                problems.Add($"stage '{stage}' not observed before the batch finished: no kill");
                kills.Add($"{stage}: missed");
            }
            else
            {
                await runner.KillAndRestartAsync(scope.Name, settings);
                kills.Add($"{stage}: killed at {seen}");
                Console.WriteLine($"    SIGKILL {stage} ({seen}); restarted");
            }

            if (faultsDuringRound is not null)
            {
                await emulator.RestoreFaultsAsync();
            }

            var outcomes = await scope.WaitForOutcomesAsync(jobs, deadline);
            if (outcomes.Lost(jobs).Count > 0)
            {
                problems.Add($"round {stage}: {outcomes.Lost(jobs).Count} jobs without an outcome");
            }
        }

        // 1. Right after the trigger: the jobs exist but have not reached Runware.
        await RoundAsync("after-trigger", jobs => PollStagesAsync(runner, jobs, s => s is "queued" or "waiting-for-companions" or "preparing", ct));

        // 2. During the upload: every Runware call hangs, so 1.5 s into "preparing" (which ends with the upload) the upload
        // is in flight when the runner dies.
        await RoundAsync("upload", async jobs =>
        {
            var stage = await PollStagesAsync(runner, jobs, s => s == "preparing", ct);
            await Task.Delay(1500, ct);
            return stage;
        }, faultsDuringRound: "hang:1");

        // 3. After Runware accepted an inference (the emulator counts it), while it is still running (2.5 s latency).
        await RoundAsync("inference-accepted", async jobs =>
        {
            var before = EmulatorHandle.Long((await emulator.StatsAsync())["inferencesAccepted"]);
            return await WaitForCounterAsync(emulator, "inferencesAccepted", before + 2, TimeSpan.FromSeconds(90), ct) is { } now
                ? $"{now - before} inferences accepted"
                : null;
        });

        // 4. While writing outputs (four results per job, so storing takes a while): stage "storing" where the job takes
        // the results, or, where the activity that watched the inference stores them itself, its first result fetched.
        await RoundAsync("writing-outputs", async jobs =>
        {
            var served = EmulatorHandle.Long((await emulator.StatsAsync())["imagesServed"]);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var storing = PollStagesAsync(runner, jobs, s => s is "storing", stop.Token);
            var fetched = WaitForCounterAsync(emulator, "imagesServed", served + 1, TimeSpan.FromSeconds(120), stop.Token);
            var first = await Task.WhenAny(storing, fetched);
            await stop.CancelAsync();
            return first == storing ? await storing : await fetched is not null ? "first result fetched" : null;
        }, options: """{"numberResults":4}""");

        var outcomes = await scope.WaitForOutcomesAsync(all, deadline);
        var tasks = Evidence.Tasks(await emulator.RequestsAsync());
        var (_, accepted) = Evidence.PaidTwice(tasks, outcomes);
        var stats = await emulator.StatsAsync();
        var figures = $"{string.Join("; ", kills)}; {accepted} inferences accepted for {outcomes.Manifests.Count} manifests; " +
            $"{EmulatorHandle.Long(stats["inferencesCharged"])} charged; repeated task UUIDs: {EmulatorHandle.Long(stats["duplicatesRejected"])} refused, {EmulatorHandle.Long(stats["duplicatesAccepted"])} run again";
        var allowed = dialect.RefusesDuplicates ? 0 : PaidTwicePerKill * kills.Count;
        return Account($"crashes (SIGKILL ×4) [{dialect.Name}, {path.Name}]", all, outcomes, tasks, figures, runner.PeakRssMb, "-", problems, allowedPaidTwice: allowed);
    }

    /// <summary>
    /// Polls the emulator's <paramref name="counter"/> until it reaches <paramref name="atLeast"/>: the value reached, or
    /// null when <paramref name="limit"/> passed or <paramref name="ct"/> was canceled first.
    /// </summary>
    private static async Task<long?> WaitForCounterAsync(EmulatorHandle emulator, string counter, long atLeast, TimeSpan limit, CancellationToken ct)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until && !ct.IsCancellationRequested)
        {
            if (EmulatorHandle.Long((await emulator.StatsAsync())[counter]) is var now && now >= atLeast)
            {
                return now;
            }

            await Task.Delay(10, CancellationToken.None);
        }

        return null;
    }

    /// <summary>Polls the jobs' status until one is in a stage <paramref name="match"/> accepts; null when all finished first.</summary>
    private static async Task<string?> PollStagesAsync(RunnerHandle runner, List<DroppedJob> jobs, Func<string, bool> match, CancellationToken ct)
    {
        var until = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < until)
        {
            var finished = 0;
            foreach (var job in jobs)
            {
                var status = await runner.StatusAsync(job.Id);
                if (status is { } s)
                {
                    if (match(s.Stage) && s.Status is "pending" or "running")
                    {
                        return $"stage {s.Stage}";
                    }

                    if (s.Status is "completed" or "failed")
                    {
                        finished++;
                    }
                }
            }

            if (finished == jobs.Count)
            {
                return null;
            }

            await Task.Delay(30, ct);
        }

        return null;
    }
}
