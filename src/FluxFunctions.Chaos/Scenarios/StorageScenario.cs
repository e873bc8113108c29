using System.Diagnostics;
using FluxFunctions.Chaos.Jobs;
using FluxFunctions.Chaos.Report;
using FluxFunctions.Chaos.Stack;
using static FluxFunctions.Chaos.Scenarios.ScenarioKit;

namespace FluxFunctions.Chaos.Scenarios;

/// <summary>
/// Azurite stopped for 10 s in the middle of a batch, then started again on its data: the same runner process (no
/// restart) finishes every job and picks up new drops; nothing is lost.
/// </summary>
internal static class StorageScenario
{
    public static async Task<ScenarioResult> RunAsync(ChaosStack stack, CancellationToken ct)
    {
        var scope = new Scope(stack, "storage");
        await scope.CreateAsync();
        using var emulator = await stack.StartEmulatorAsync("storage", EmulatorSettings(1000));
        using var runner = await RunnerHandle.StartAsync(stack, "storage", scope.RunnerSettings(emulator));
        var pid = runner.Pid;
        var jobs = await DropManyAsync(40, i => scope.DropValidAsync("before", i));
        var deadline = DateTime.UtcNow.AddMinutes(6);
        while ((await scope.OutcomesAsync()).Manifests.Count < 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(300, ct);
        }

        var doneAtStop = (await scope.OutcomesAsync()).Manifests.Count;
        Console.WriteLine($"    stopping Azurite with {doneAtStop}/{jobs.Count} done");
        var outage = Stopwatch.StartNew();
        await stack.StopAzuriteAsync();
        var healthDuring = new List<int>();
        var probe = Task.Run(async () =>
        {
            while (outage.Elapsed < TimeSpan.FromSeconds(9))
            {
                var status = (await runner.HealthAsync()).Status;
                lock (healthDuring)
                {
                    healthDuring.Add(status);
                }

                await Task.Delay(1000, CancellationToken.None);
            }
        }, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(10) - outage.Elapsed, ct);
        var stoppedSeconds = outage.Elapsed.TotalSeconds;
        await stack.StartAzuriteAsync();
        var outageSeconds = outage.Elapsed.TotalSeconds;
        await probe;
        Console.WriteLine($"    Azurite back after {F(outageSeconds)} s");
        jobs.AddRange(await DropManyAsync(10, i => scope.DropValidAsync("after", 100 + i)));
        var outcomes = await scope.WaitForOutcomesAsync(jobs, deadline);
        var problems = new List<string>();
        var alive = !runner.HasExited() && runner.Pid == pid;
        if (!alive)
        {
            problems.Add("the runner process did not survive the outage");
        }

        var tasks = Evidence.Tasks(await emulator.RequestsAsync());
        var health = $"during outage: {string.Join(",", healthDuring.Distinct())}";
        var figures = $"Azurite stopped {F(stoppedSeconds)} s (serving again after {F(outageSeconds)} s) with {doneAtStop}/{jobs.Count - 10} done; same runner pid {(alive ? "yes" : "NO")}; +10 jobs dropped after";
        return Account("storage outage", jobs, outcomes, tasks, figures, runner.PeakRssMb, health, problems);
    }
}
