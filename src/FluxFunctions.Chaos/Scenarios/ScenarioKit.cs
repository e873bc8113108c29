using System.Globalization;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Chaos.Jobs;
using FluxFunctions.Chaos.Report;

namespace FluxFunctions.Chaos.Scenarios;

/// <summary>The invariants every scenario checks, and small helpers.</summary>
internal static class ScenarioKit
{
    /// <summary>Settings of a quick emulator that records everything.</summary>
    public static Dictionary<string, string> EmulatorSettings(int latencyMs, string faults = "", EmulatorDialect? dialect = null)
    {
        var settings = new Dictionary<string, string>((dialect ?? EmulatorDialect.Strict).Settings())
        {
            ["Emulator__LatencyMs"] = latencyMs.ToString(CultureInfo.InvariantCulture),
            ["Emulator__Faults"] = faults,
            ["Emulator__MaxRecordedRequests"] = "100000",
            ["Emulator__MaxImages"] = "100000",
            ["Emulator__Seed"] = "7",
        };
        return settings;
    }

    /// <summary>Counts outcomes and checks: nothing lost, nothing duplicated, no unexplained failure, nothing paid twice.</summary>
    public static ScenarioResult Account(
        string scenario,
        IReadOnlyCollection<DroppedJob> jobs,
        Outcomes outcomes,
        List<RecordedTask> tasks,
        string figures,
        double peakRssMb,
        string health,
        List<string> problems,
        IReadOnlySet<string>? stillRunning = null,
        int allowedPaidTwice = 0)
    {
        var lost = outcomes.Lost(jobs).Where(j => stillRunning?.Contains(j.Id) != true).ToList();
        if (stillRunning is { Count: > 0 })
        {
            problems.Add($"{stillRunning.Count} jobs still running at the scenario's deadline (not lost: the API reports them pending/running)");
        }

        var duplicated = outcomes.Duplicated();
        var unexplained = outcomes.Unexplained();
        // An accepted inference of a job still running has no manifest yet: then only a task UUID accepted twice counts.
        var paidTwice = stillRunning is { Count: > 0 } ? Evidence.AcceptedTwice(tasks) : Evidence.PaidTwice(tasks, outcomes).PaidTwice;
        var ids = jobs.Select(j => j.Id).ToHashSet();
        var completed = outcomes.Manifests.Count(m => ids.Contains(m.JobId));
        var failed = outcomes.Failures.Count(f => ids.Contains(f.JobId));
        if (lost.Count > 0)
        {
            problems.Add($"{lost.Count} lost: {string.Join(", ", lost.Take(5).Select(j => j.Blob))}");
        }

        if (duplicated > 0)
        {
            problems.Add($"{duplicated} duplicated outcomes");
        }

        if (unexplained.Count > 0)
        {
            problems.Add($"{unexplained.Count} failures without a specific code: {string.Join(", ", unexplained.Take(3).Select(u => u.Blob + " " + u.Json["error"]?.ToJsonString()))}");
        }

        if (paidTwice > allowedPaidTwice)
        {
            problems.Add(allowedPaidTwice == 0
                ? $"{paidTwice} inferences paid twice"
                : $"{paidTwice} inferences paid twice, more than the {allowedPaidTwice} this dialect allows (it runs a repeated taskUUID again)");
        }

        return new ScenarioResult(scenario, jobs.Count, completed, failed, lost.Count, duplicated, paidTwice, figures, peakRssMb, health, problems);
    }

    /// <summary>Runs <paramref name="body"/> with its own time limit; a scenario that throws or overruns fails, the others go on.</summary>
    public static async Task<ScenarioResult> Bounded(string scenario, TimeSpan limit, Func<CancellationToken, Task<ScenarioResult>> body)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            var work = body(cts.Token);
            var finished = await Task.WhenAny(work, Task.Delay(limit + TimeSpan.FromSeconds(30), CancellationToken.None));
            return finished == work ? await work : ScenarioResult.Crashed(scenario, $"did not finish within {limit.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ScenarioResult.Crashed(scenario, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Drops jobs with a few uploads in parallel.</summary>
    public static async Task<List<DroppedJob>> DropManyAsync(int count, Func<int, Task<DroppedJob>> drop, int parallelism = 8)
    {
        var jobs = new DroppedJob[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) => jobs[i] = await drop(i));
        return [.. jobs];
    }

    public static string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
}
