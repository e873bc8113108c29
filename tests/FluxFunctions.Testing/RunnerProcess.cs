using System.Diagnostics;

namespace FluxFunctions.Testing;

/// <summary>
/// The self-hosted runner as a separate OS process (<c>dotnet FluxFunctions.Runner.dll</c>), so tests can kill it for real
/// (SIGKILL, no cleanup) and start it again on the same task hub.
/// </summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    private readonly OutputKeepingProcess process;

    private RunnerProcess(OutputKeepingProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the runner printed (for failure messages).</summary>
    public string Output => process.Output;

    /// <summary>Path of the built runner.</summary>
    public static string Dll => Path.Combine(RepoPaths.Root, "src", "FluxFunctions.Runner", "bin", BuildConfiguration, "net10.0", "FluxFunctions.Runner.dll");

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>Starts a runner with the given settings (environment variables, <c>__</c> nesting) and waits until it listens.</summary>
    public static async Task<RunnerProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? port = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var p = port ?? FreePort.Next();
        var psi = new ProcessStartInfo("dotnet");
        psi.ArgumentList.Add(Dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{p}");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in settings)
        {
            psi.Environment[k] = v;
        }

        var runner = new RunnerProcess(OutputKeepingProcess.Start(psi), p);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (runner.HasExited)
            {
                // Its last lines (why it stopped) may still be on their way.
                await Task.WhenAny(runner.process.Exited, Task.Delay(TimeSpan.FromSeconds(5)));
                throw new InvalidOperationException($"The runner exited early:\n{runner.Output}");
            }

            if (await FreePort.AcceptsAsync(p))
            {
                return runner;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The runner did not listen on port {p} in time:\n{runner.Output}");
            }

            await Task.Delay(150);
        }
    }

    /// <summary>SIGKILL: the process ends at once, with no graceful shutdown.</summary>
    public void Kill() => process.Kill();

    public ValueTask DisposeAsync()
    {
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
