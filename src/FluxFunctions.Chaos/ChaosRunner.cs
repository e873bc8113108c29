using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using FluxFunctions.Chaos.Jobs;
using FluxFunctions.Chaos.Report;
using FluxFunctions.Chaos.Scenarios;
using FluxFunctions.Chaos.Stack;
using FluxFunctions.Emulator.Configuration;

namespace FluxFunctions.Chaos;

/// <summary>
/// Runs the scenarios one after the other on one Azurite (each scenario with its own emulator, runner, task hub and
/// containers), bounded in time, then prints one summary table per Runware dialect (<see cref="EmulatorDialect"/>): the
/// fault and crash scenarios run against each, the others against <c>strict</c>. Exit code 0 only when every invariant
/// held. Options: <c>--only hostile,faults,crashes,storage,load</c>, <c>--paths watch,poll</c> (the first against every dialect, the others against the first), <c>--dialects strict,quiet,coded</c> (default those
/// three: an unknown task answered with an error, with HTTP 200 and nothing, with HTTP 400 and another code),
/// <c>--minutes N</c> (whole-run bound, default 60), <c>--load N</c> (blobs of the load scenario, default 500).
/// </summary>
internal static class ChaosRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var only = Arg(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? ["hostile", "faults", "crashes", "storage", "load"];
        var bound = TimeSpan.FromMinutes(double.Parse(Arg(args, "--minutes") ?? "60", CultureInfo.InvariantCulture));
        var dialects = (Arg(args, "--dialects") ?? "strict,quiet,coded").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(EmulatorDialect.Named).ToList();
        var paths = (Arg(args, "--paths") ?? "watch,poll").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ChaosPath.Named).ToList();
        var root = FindRoot();
        var configuration = Directory.Exists(Path.Combine(root, "src", "FluxFunctions.Runner", "bin", "Debug")) ? "Debug" : "Release";
        var work = Path.Combine(root, ".artifacts", "chaos");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        var started = Stopwatch.StartNew();
        var stack = new ChaosStack(root, work, configuration);

        // Ctrl+C, SIGTERM (e.g. from the script's trap) and the end of the run all stop every process started here.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => stack.DisposeAsync().AsTask().Wait());
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => stack.DisposeAsync().AsTask().Wait());
        var results = new List<(EmulatorDialect Dialect, ScenarioResult Result)>();
        var answers = new List<string>();
        try
        {
            Step($"starting Azurite (on disk: {Path.GetRelativePath(root, Path.Combine(work, "azurite"))})");
            await stack.StartAzuriteAsync();

            async Task Run(string key, string title, TimeSpan limit, Func<CancellationToken, Task<ScenarioResult>> body, EmulatorDialect? dialect = null)
            {
                if (!only.Contains(key))
                {
                    return;
                }

                dialect ??= EmulatorDialect.Strict;
                var left = bound - started.Elapsed - TimeSpan.FromMinutes(1);
                if (left < TimeSpan.FromMinutes(1))
                {
                    results.Add((dialect, ScenarioResult.Crashed(title, "not run: the whole-run time bound was reached")));
                    return;
                }

                Step($"{title} (limit {Math.Min(limit.TotalMinutes, left.TotalMinutes):0.0} min)");
                var sw = Stopwatch.StartNew();
                var result = await ScenarioKit.Bounded(title, limit < left ? limit : left, body);
                results.Add((dialect, result));
                Step($"{title}: {(result.Passed ? "PASS" : "FAIL")} in {sw.Elapsed.TotalSeconds:0} s");
                foreach (var p in result.Problems)
                {
                    Console.WriteLine($"    ! {p}");
                }
            }

            await Run("hostile", "hostile corpus", TimeSpan.FromMinutes(4), ct => HostileScenario.RunAsync(stack, answers, ct));
            // The first path (the defaults) against every dialect; each further path against the first dialect.
            foreach (var path in paths)
            {
                foreach (var dialect in path == paths[0] ? dialects : dialects.Take(1))
                {
                    Step($"Runware dialect {dialect.Name}, path {path.Name}: unknown task {dialect.UnknownTask}, repeated taskUUID {dialect.DuplicateTask}, webhooks {dialect.WebhookShape}, shown after {dialect.VisibleAfterMs} ms");
                    await Run("faults", $"faults [{dialect.Name}, {path.Name}]", TimeSpan.FromMinutes(9), ct => FaultsScenario.RunAsync(stack, 100, dialect, path, ct), dialect);
                    await Run("crashes", $"crashes (SIGKILL ×4) [{dialect.Name}, {path.Name}]", TimeSpan.FromMinutes(7), ct => CrashScenario.RunAsync(stack, dialect, path, ct), dialect);
                }
            }

            await Run("storage", "storage outage", TimeSpan.FromMinutes(6), ct => StorageScenario.RunAsync(stack, ct));
            var load = int.Parse(Arg(args, "--load") ?? "500", CultureInfo.InvariantCulture);
            var loadLimit = TimeSpan.FromMinutes(Math.Max(2, Math.Min(10, (bound - started.Elapsed).TotalMinutes - 1.5)));
            await Run("load", $"load ({load} blobs, 20% invalid)", loadLimit, ct => LoadScenario.RunAsync(stack, load, loadLimit, ct));
            results.Add((EmulatorDialect.Strict, await SecretsCheck.RunAsync(stack, answers)));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or Azure.RequestFailedException or HttpRequestException)
        {
            results.Add((EmulatorDialect.Strict, ScenarioResult.Crashed("setup", ex.Message)));
        }
        finally
        {
            await stack.DisposeAsync();
        }

        Console.WriteLine();
        Console.WriteLine($"Chaos summary ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {started.Elapsed.TotalMinutes:0.0} min; logs: {Path.GetRelativePath(root, stack.LogDir)})");
        foreach (var group in results.GroupBy(r => r.Dialect))
        {
            var d = group.Key;
            Console.WriteLine();
            Console.WriteLine($"Runware dialect {d.Name} (unknown task: {d.UnknownTask}; repeated taskUUID: {d.DuplicateTask}; webhooks: {d.WebhookShape}; shown after {d.VisibleAfterMs} ms)");
            Console.WriteLine();
            Console.Write(SummaryTable.Render([.. group.Select(r => r.Result)]));
        }

        var ok = results.Count > 0 && results.All(r => r.Result.Passed);
        Console.WriteLine();
        Console.WriteLine(ok ? "chaos: every invariant held" : "chaos: INVARIANTS BROKEN (see above)");
        return ok ? 0 : 1;
    }

    private static string? Arg(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FluxFunctions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    private static void Step(string message) => Console.WriteLine($"==> {message}");
}
