using System.Diagnostics;
using FluxFunctions.Testing;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The worker as an OS process, started the way the host starts it (<see cref="WorkerLaunch"/>). Its console output is
/// kept (the last lines) for failure messages; disposing kills the process tree if it is still running.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly OutputKeepingProcess process;

    private WorkerProcess(OutputKeepingProcess process) => this.process = process;

    /// <summary>Completes when the process has exited and everything it printed has been read.</summary>
    public Task Exited => process.Exited;

    /// <summary>The last lines the worker printed.</summary>
    public string Output => process.Output;

    public static WorkerProcess Start(WorkerLaunch launch, WorkerConfig config, Uri hostUri)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(config);
        var psi = new ProcessStartInfo(config.DefaultExecutablePath)
        {
            WorkingDirectory = launch.AppDirectory,
            RedirectStandardInput = false,
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

        return new WorkerProcess(OutputKeepingProcess.Start(psi, maxLines: 300));
    }

    public void Dispose() => process.Dispose();
}
