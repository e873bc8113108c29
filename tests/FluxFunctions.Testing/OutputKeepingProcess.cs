using System.Collections.Concurrent;
using System.Diagnostics;

namespace FluxFunctions.Testing;

/// <summary>
/// A child process whose console output (both streams) is kept — its last lines, for failure messages — and which is
/// killed with its process tree when disposed if still running. Azurite (<see cref="AzuriteFixture"/>), the runner
/// (<see cref="RunnerProcess"/>) and the Functions worker started the way the host starts it use it.
/// </summary>
public sealed class OutputKeepingProcess : IDisposable
{
    private readonly Process process;
    private readonly int maxLines;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OutputKeepingProcess(Process process, int maxLines)
    {
        this.process = process;
        this.maxLines = maxLines;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => SetExitedWhenOutputIsRead();
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    /// <summary>Completes when the process has exited and everything it printed has been read.</summary>
    public Task Exited => exited.Task;

    public bool HasExited => process.HasExited;

    public int Pid => process.Id;

    /// <summary>The last lines the process printed.</summary>
    public string Output => string.Join('\n', output);

    /// <summary>Starts <paramref name="start"/> with both output streams redirected and read; keeps the last <paramref name="maxLines"/> lines.</summary>
    public static OutputKeepingProcess Start(ProcessStartInfo start, int maxLines = 400)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var child = new OutputKeepingProcess(new Process { StartInfo = start }, maxLines);
        if (!child.process.Start())
        {
            throw new InvalidOperationException($"{start.FileName} did not start.");
        }

        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        if (child.process.HasExited)
        {
            child.SetExitedWhenOutputIsRead();
        }

        return child;
    }

    /// <summary>SIGKILL to the process tree: it ends at once, with no graceful shutdown.</summary>
    public void Kill()
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
    }

    public void Dispose()
    {
        Kill();
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
        while (output.Count > maxLines && output.TryDequeue(out _))
        {
        }
    }
}
