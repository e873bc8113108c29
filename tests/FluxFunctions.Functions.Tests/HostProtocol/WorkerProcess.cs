using System.Collections.Concurrent;
using System.Diagnostics;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The worker as an OS process, started the way the host starts it (<see cref="WorkerLaunch"/>). Its console output is
/// kept (the last lines) for failure messages; disposing kills the process tree if it is still running.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private const int MaxLines = 300;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        this.process = process;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    /// <summary>Completes when the process exits.</summary>
    public Task Exited => exited.Task;

    /// <summary>The last lines the worker printed.</summary>
    public string Output => string.Join('\n', output);

    public static WorkerProcess Start(WorkerLaunch launch, WorkerConfig config, Uri hostUri)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(config);
        var psi = new ProcessStartInfo(config.DefaultExecutablePath)
        {
            WorkingDirectory = launch.AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in launch.Arguments(config, hostUri))
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in launch.Environment())
        {
            psi.Environment[key] = value;
        }

        var worker = new WorkerProcess(new Process { StartInfo = psi });
        if (!worker.process.Start())
        {
            throw new InvalidOperationException("The worker process did not start.");
        }

        if (worker.process.HasExited)
        {
            worker.exited.TrySetResult();
        }

        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
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
            // Already gone.
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > MaxLines && output.TryDequeue(out _))
        {
        }
    }
}
