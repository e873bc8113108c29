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
        process.Exited += (_, _) => SetExitedWhenOutputIsRead();
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    /// <summary>Completes when the process has exited and everything it printed has been read.</summary>
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

        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        if (worker.process.HasExited)
        {
            worker.SetExitedWhenOutputIsRead();
        }

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

    /// <summary>
    /// The exit is raised before the last lines of redirected output have been read: waiting for the exit without a
    /// time-out also waits for both streams to end, so a failure message built after <see cref="Exited"/> has them all.
    /// </summary>
    private void SetExitedWhenOutputIsRead() => _ = Task.Run(() =>
    {
        try
        {
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Disposed meanwhile.
        }

        exited.TrySetResult();
    });

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
