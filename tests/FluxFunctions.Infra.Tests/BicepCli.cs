using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using FluxFunctions.Testing;

namespace FluxFunctions.Infra.Tests;

/// <summary>The output of one Bicep CLI run.</summary>
internal sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the run printed, for assertion messages.</summary>
    public string Transcript => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>
/// The Bicep CLI restored from NuGet (<c>Azure.Bicep.CommandLine.linux-x64</c>): the build embeds the package's
/// tools/bicep path in this assembly. A missing or unrunnable binary fails the tests, it never skips them.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);
    private static readonly Lazy<string> ExecutableLazy = new(FindExecutable);

    /// <summary>The runnable bicep binary.</summary>
    public static string Executable => ExecutableLazy.Value;

    /// <summary>Runs <c>bicep {arguments}</c> from the repository root.</summary>
    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(RunLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {RunLimit}.");
        }

        return new BicepRun(process.ExitCode, await stdout, await stderr);
    }

    private static string FindExecutable()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        if (string.IsNullOrWhiteSpace(path) || path.StartsWith('/') is false || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI was not found at '{path}'. Restore the solution (dotnet restore) so NuGet brings the Azure.Bicep.CommandLine.linux-x64 package.");
        }

        return EnsureExecutable(path);
    }

    /// <summary>
    /// NuGet does not always keep the executable bit, and the package folder may belong to another user: when the binary
    /// cannot be started where it is, run a private executable copy (the package folder is never changed).
    /// </summary>
    private static string EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows() || CanStart(path))
        {
            return path;
        }

        var copy = Path.Combine(Path.GetTempPath(), $"fluxfunctions-bicep-{Environment.ProcessId}", "bicep");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(path, copy, overwrite: true);
        File.SetUnixFileMode(copy, File.GetUnixFileMode(copy) | UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return copy;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool CanStart(string path)
    {
        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((File.GetUnixFileMode(path) & AnyExecute) == 0)
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is null)
            {
                return false;
            }

            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return true;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
