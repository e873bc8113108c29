using System.Diagnostics;
using System.Globalization;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// CPU time each process of the stack (runner, emulator, Azurite's services, the benchmark itself) used between
/// <see cref="Start"/> and <see cref="Stop"/>, against what the machine's cores could give in that time: on a small
/// machine everything shares the same cores, and this shows who took them.
/// </summary>
internal sealed class CpuMeter
{
    private readonly List<(string Name, Process Process, TimeSpan Start)> processes = [];
    private readonly Stopwatch clock = new();

    public static CpuMeter Start(IEnumerable<(string Name, Process Process)> processes)
    {
        var meter = new CpuMeter();
        foreach (var (name, process) in processes)
        {
            if (Used(process) is { } used)
            {
                meter.processes.Add((name, process, used));
            }
        }

        meter.clock.Start();
        return meter;
    }

    /// <summary>CPU seconds per process since the start.</summary>
    public IReadOnlyList<(string Name, double Seconds)> StopPerProcess()
    {
        clock.Stop();
        return [.. processes.Select(p => (p.Name, ((Used(p.Process) ?? p.Start) - p.Start).TotalSeconds))];
    }

    /// <summary>One line: CPU seconds per process, their sum and the share of the cores' time in the interval.</summary>
    public string Stop()
    {
        clock.Stop();
        var parts = new List<string>();
        var total = 0.0;
        foreach (var (name, process, start) in processes)
        {
            var used = ((Used(process) ?? start) - start).TotalSeconds;
            total += used;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {used:0.0}"));
        }

        var available = clock.Elapsed.TotalSeconds * Environment.ProcessorCount;
        return string.Create(CultureInfo.InvariantCulture, $"CPU seconds: {string.Join(", ", parts)}; total {total:0.0} of {available:0.0} available ({total / available * 100:0} % of {Environment.ProcessorCount} cores over {clock.Elapsed.TotalSeconds:0.0} s)");
    }

    private static TimeSpan? Used(Process process)
    {
        try
        {
            process.Refresh();
            return process.HasExited ? null : process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
