using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using FluxFunctions.Chaos.Report;
using FluxFunctions.Chaos.Scenarios;
using FluxFunctions.Chaos.Stack;

namespace FluxFunctions.Chaos;

/// <summary>
/// Runs the scenarios one after the other on one Azurite (each scenario with its own emulator, runner, task hub and
/// containers), bounded in time, then prints the summary table. Exit code 0 only when every invariant held.
/// Options: <c>--only hostile,faults,crashes,storage,load</c>, <c>--minutes N</c> (whole-run bound, default 20),
/// <c>--load N</c> (blobs of the load scenario, default 500).
/// </summary>
internal static class ChaosRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var only = Arg(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? ["hostile", "faults", "crashes", "storage", "load"];
        var bound = TimeSpan.FromMinutes(double.Parse(Arg(args, "--minutes") ?? "20", CultureInfo.InvariantCulture));
        var root = FindRoot();
        var configuration = Directory.Exists(Path.Combine(root, "src", "FluxFunctions.Host", "bin", "Debug")) ? "Debug" : "Release";
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
        var results = new List<ScenarioResult>();
        var answers = new List<string>();
        try
        {
            Step($"starting Azurite (on disk: {Path.GetRelativePath(root, Path.Combine(work, "azurite"))})");
            await stack.StartAzuriteAsync();

            async Task Run(string key, string title, TimeSpan limit, Func<CancellationToken, Task<ScenarioResult>> body)
            {
                if (!only.Contains(key))
                {
                    return;
                }

                var left = bound - started.Elapsed - TimeSpan.FromMinutes(1);
                if (left < TimeSpan.FromMinutes(1))
                {
                    results.Add(ScenarioResult.Crashed(title, "not run: the whole-run time bound was reached"));
                    return;
                }

                Step($"{title} (limit {Math.Min(limit.TotalMinutes, left.TotalMinutes):0.0} min)");
                var sw = Stopwatch.StartNew();
                var result = await ScenarioKit.Bounded(title, limit < left ? limit : left, body);
                results.Add(result);
                Step($"{title}: {(result.Passed ? "PASS" : "FAIL")} in {sw.Elapsed.TotalSeconds:0} s");
                foreach (var p in result.Problems)
                {
                    Console.WriteLine($"    ! {p}");
                }
            }

            await Run("hostile", "hostile corpus", TimeSpan.FromMinutes(4), ct => HostileScenario.RunAsync(stack, answers, ct));
            await Run("faults", "faults", TimeSpan.FromMinutes(9), ct => FaultsScenario.RunAsync(stack, 100, ct));
            await Run("crashes", "crashes (SIGKILL ×4)", TimeSpan.FromMinutes(7), ct => CrashScenario.RunAsync(stack, ct));
            await Run("storage", "storage outage", TimeSpan.FromMinutes(6), ct => StorageScenario.RunAsync(stack, ct));
            var load = int.Parse(Arg(args, "--load") ?? "500", CultureInfo.InvariantCulture);
            var loadLimit = TimeSpan.FromMinutes(Math.Max(2, Math.Min(10, (bound - started.Elapsed).TotalMinutes - 1.5)));
            await Run("load", $"load ({load} blobs, 20% invalid)", loadLimit, ct => LoadScenario.RunAsync(stack, load, loadLimit, ct));
            results.Add(await SecretsCheck.RunAsync(stack, answers));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or Azure.RequestFailedException or HttpRequestException)
        {
            results.Add(ScenarioResult.Crashed("setup", ex.Message));
        }
        finally
        {
            await stack.DisposeAsync();
        }

        Console.WriteLine();
        Console.WriteLine($"Chaos summary ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {started.Elapsed.TotalMinutes:0.0} min; logs: {Path.GetRelativePath(root, stack.LogDir)})");
        Console.WriteLine();
        Console.Write(SummaryTable.Render(results));
        var ok = results.Count > 0 && results.All(r => r.Passed);
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
