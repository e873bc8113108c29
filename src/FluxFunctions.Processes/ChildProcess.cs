using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace FluxFunctions.Processes;

/// <summary>
/// A server a driver starts (Azurite, the emulator, a runner: for the demo and the chaos run), its output appended to a
/// log file. It can be killed (SIGKILL: no cleanup, as a crash) or stopped (SIGTERM: a graceful stop), and is always
/// stopped with its children on dispose. Only processes started here are ever signalled, by their own pid.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ChildProcess(string name, Process process, StreamWriter log, string logFile)
    {
        Name = name;
        this.process = process;
        this.log = log;
        LogFile = logFile;
    }

    public string Name { get; }

    public string LogFile { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Current and peak resident set size in bytes, from <c>/proc/{pid}/status</c> (VmRSS, VmHWM).</summary>
    public (long Rss, long Peak) Memory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (rss, peak);
    }

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var writer = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {name}.");
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(name, process, writer, logFile);
    }

    /// <summary>Waits until <paramref name="port"/> accepts connections.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} before listening on port {port}; see {LogFile}.");
            }

            if (await LoopbackPorts.AcceptsAsync(port))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} did not listen on port {port} within {timeout.TotalSeconds:0} s; see {LogFile}.");
    }

    /// <summary>SIGKILL (with its children): the process ends at once, without any cleanup.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(15000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>SIGTERM, then waits for the process to end by itself (SIGKILL after <paramref name="grace"/>).</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
        {
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
        }

        using var cts = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
