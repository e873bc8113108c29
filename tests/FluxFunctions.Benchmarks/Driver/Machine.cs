using System.Globalization;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>The machine a run came from: CPU model, core count, memory (from /proc).</summary>
internal static class Machine
{
    public static string Describe()
    {
        var model = Read("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKb = Read("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(':')[1].Trim().Split(' ')[0];
        var memGib = memKb is null ? "?" : (long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
        return $"{Environment.ProcessorCount} cores, {model}, {memGib} GiB RAM, .NET {Environment.Version}";
    }

    private static IEnumerable<string> Read(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
