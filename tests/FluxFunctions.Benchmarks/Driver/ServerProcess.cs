using System.Globalization;
using FluxFunctions.Processes;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>A server the benchmark starts (emulator, runner) on its port, a fresh log file per start, killed with its children on dispose.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly ChildProcess process;

    private ServerProcess(ChildProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public string Name => process.Name;

    public int Port { get; }

    public int Id => process.Pid;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Starts <c>dotnet {dll} --urls http://127.0.0.1:{port}</c> and waits until it listens.</summary>
    public static async Task<ServerProcess> StartDotnetAsync(string name, string dll, int port, IReadOnlyDictionary<string, string> environment, string logFile)
    {
        if (File.Exists(logFile))
        {
            File.Delete(logFile);
        }

        var process = ChildProcess.Start(name, "dotnet", [dll, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"], environment, logFile);
        var server = new ServerProcess(process, port);
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(90));
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>Current and peak resident set size in bytes (VmRSS, VmHWM).</summary>
    public (long Rss, long Peak) Memory() => process.Memory();

    public void Dispose() => process.Dispose();
}
