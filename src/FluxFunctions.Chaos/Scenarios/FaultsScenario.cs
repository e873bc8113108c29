using FluxFunctions.Chaos.Jobs;
using FluxFunctions.Chaos.Report;
using FluxFunctions.Chaos.Stack;
using FluxFunctions.Emulator.Configuration;
using static FluxFunctions.Chaos.Scenarios.ScenarioKit;

namespace FluxFunctions.Chaos.Scenarios;

/// <summary>
/// 100 jobs through an emulator injecting <c>429:0.2,500:0.1,hang:0.02,malformed:0.02</c>, plus a 6 s burst of
/// <c>500:1</c> in the middle so the circuit breaker must open and recover. Every job ends completed or with a specific
/// failure record; Retry-After is honoured; hung requests time out and are retried.
/// </summary>
internal static class FaultsScenario
{
    public const string Faults = "429:0.2,500:0.1,hang:0.02,malformed:0.02";
    private const int RetryAfterSeconds = 2;

    public static async Task<ScenarioResult> RunAsync(ChaosStack stack, int count, EmulatorDialect dialect, ChaosPath path, CancellationToken ct)
    {
        var scope = new Scope(stack, $"faults-{dialect.Name}-{path.Name}");
        await scope.CreateAsync();
        var emulatorSettings = EmulatorSettings(400, Faults, dialect);
        emulatorSettings["Emulator__RetryAfterSeconds"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        emulatorSettings["Emulator__HangMs"] = "60000";
        using var emulator = await stack.StartEmulatorAsync(scope.Name, emulatorSettings);
        var settings = scope.RunnerSettings(emulator, path.Over(new Dictionary<string, string>
        {
            ["Runware__BreakerMinimumThroughput"] = "20",
            ["Runware__BreakerSamplingSeconds"] = "10",
            ["Runware__BreakerBreakSeconds"] = "3",
        }));
        using var runner = await RunnerHandle.StartAsync(stack, scope.Name, settings);
        var jobs = await DropManyAsync(count, i => scope.DropValidAsync("batch", i));
        Console.WriteLine($"    dropped {jobs.Count} jobs; Runware faults {Faults}");

        // Mid-batch: every call fails for 6 s, so the breaker opens; then back to the configured rates, so it closes.
        var deadline = DateTime.UtcNow.AddMinutes(8);
        while ((await scope.OutcomesAsync()).Manifests.Count < count / 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000, ct);
        }

        Console.WriteLine("    burst: 500:1 for 6 s");
        await emulator.SetFaultsAsync("500:1");
        await Task.Delay(6000, ct);
        await emulator.RestoreFaultsAsync();

        var outcomes = await scope.WaitForOutcomesAsync(jobs, deadline);
        var tasks = Evidence.Tasks(await emulator.RequestsAsync());
        var logs = Path.Combine(stack.LogDir, $"runner-{scope.Name}.log");
        var retries = Evidence.CountInLogs([logs], "; retrying in ");
        var timeoutRetries = Evidence.CountInLogs([logs], "code timeout); retrying in ");
        var opened = Evidence.CountInLogs([logs], "Runware circuit opened");
        var closed = Evidence.CountInLogs([logs], "Runware circuit closed");
        var (rated, honoured, minGap) = Evidence.RetryAfter(tasks, RetryAfterSeconds);
        var (hung, timedOut, retried) = Evidence.Hangs(tasks);
        var faultsSeen = tasks.Count(t => t.Fault is not null);
        var problems = new List<string>();
        if (rated == 0 || honoured != rated)
        {
            problems.Add($"Retry-After honoured {honoured}/{rated} (min gap {F(minGap, "0.00")} s < {RetryAfterSeconds} s)");
        }

        if (opened == 0 || closed == 0)
        {
            problems.Add($"circuit opened {opened}, closed {closed}: it must open and recover");
        }

        if (timedOut == 0 || timedOut != hung || timeoutRetries == 0)
        {
            problems.Add($"hung requests: {hung}, abandoned by the runner {timedOut}, timeout retries logged {timeoutRetries}");
        }

        var failureCodes = string.Join(" ", outcomes.Failures.GroupBy(f => (string?)f.Json["error"]?["code"]).Select(g => $"{g.Key}×{g.Count()}"));
        var figures = $"{faultsSeen} faults injected; {retries} retries; Retry-After({RetryAfterSeconds} s) honoured {honoured}/{rated}, min gap {F(minGap, "0.00")} s; " +
            $"circuit opened {opened}× closed {closed}×; hangs {hung}, timed out {timedOut}, {timeoutRetries} timeout retries logged, {retried} same task seen again" + (failureCodes.Length > 0 ? $"; failures: {failureCodes}" : "");
        return Account($"faults [{dialect.Name}, {path.Name}]", jobs, outcomes, tasks, figures, runner.PeakRssMb, "-", problems);
    }
}
