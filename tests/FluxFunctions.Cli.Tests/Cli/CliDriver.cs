using System.Diagnostics;
using Spectre.Console;

namespace FluxFunctions.Cli.Tests.Cli;

/// <summary>
/// Runs <c>flux</c> against the fixture's runner: in-process through <see cref="FluxCli.RunAsync"/> with captured
/// writers (the API's URL and key in the environment, as FLUX_URL/FLUX_KEY), or as a real process.
/// </summary>
internal sealed class CliDriver(CliRunnerFixture fixture)
{
    /// <summary>Runs in-process, not interactive (like a redirected standard output).</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAsync(interactive: false, args);

    /// <summary>Runs in-process; <paramref name="interactive"/> draws the live display with ANSI, as on a terminal.</summary>
    public async Task<CliResult> RunAsync(bool interactive, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string>
        {
            ["FLUX_URL"] = fixture.BaseAddress.ToString(),
            ["FLUX_KEY"] = fixture.ApiKey,
        };
        var host = new CliHost
        {
            Out = output,
            Error = error,
            Interactive = interactive,
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            Environment = name => environment.GetValueOrDefault(name),
            PollInterval = TimeSpan.FromMilliseconds(200),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var code = await FluxCli.RunAsync(args, host, timeout.Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>dotnet flux.dll …</c> as a process with redirected output (what a script sees).</summary>
    public async Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "flux.dll"));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Remove("FLUX_URL");
        psi.Environment.Remove("FLUX_KEY");
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
