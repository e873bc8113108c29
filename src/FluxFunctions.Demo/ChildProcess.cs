using System.Diagnostics;
using System.Net.Sockets;

namespace FluxFunctions.Demo;

/// <summary>A server the demo starts, with its output kept in a log file, stopped (with its children) on dispose.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        this.process = process;
        this.log = log;
    }

    public string Name { get; }

    public bool HasExited => process.HasExited;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IDictionary<string, string> environment, string logFile)
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

        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {name}.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(name, process, log);
    }

    /// <summary>Waits until <paramref name="port"/> accepts connections.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} before listening on port {port}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"{Name} did not listen on port {port} within {timeout.TotalSeconds:0} s.");
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

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
