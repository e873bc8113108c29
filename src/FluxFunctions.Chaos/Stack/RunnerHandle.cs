using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FluxFunctions.Processes;

namespace FluxFunctions.Chaos.Stack;

/// <summary>
/// A runner process and an HTTP client for its API (with the key). Samples the process's peak resident memory
/// (<c>VmHWM</c> in <c>/proc/{pid}/status</c>) while it runs.
/// </summary>
internal sealed class RunnerHandle : IDisposable
{
    private readonly ChaosStack stack;
    private readonly Timer sampler;
    private ChildProcess process;

    private RunnerHandle(ChaosStack stack, ChildProcess process, int port)
    {
        this.stack = stack;
        this.process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("x-functions-key", stack.HttpKey);
        sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>Largest resident set seen, over every process this handle ran (MiB).</summary>
    public double PeakRssMb { get; private set; }

    public int Pid => process.Pid;

    /// <summary>Whether the current runner process has ended.</summary>
    public bool HasExited() => process.HasExited;

    public static async Task<RunnerHandle> StartAsync(ChaosStack stack, string name, IReadOnlyDictionary<string, string> settings)
    {
        var port = LoopbackPorts.Free();
        var process = await stack.StartRunnerAsync(name, settings, port);
        return new RunnerHandle(stack, process, port);
    }

    /// <summary>SIGKILL, then a new runner process on the same port and settings.</summary>
    public async Task KillAndRestartAsync(string name, IReadOnlyDictionary<string, string> settings)
    {
        Sample();
        process.Kill();
        stack.Forget(process);
        process = await stack.StartRunnerAsync(name, settings, Port);
    }

    /// <summary>GET /api/edits/{id}: the job's status and stage (null when not found yet).</summary>
    public async Task<(string Status, string Stage)?> StatusAsync(string id)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"api/edits/{id}", UriKind.Relative));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return ((string?)json["status"] ?? "", (string?)json["stage"] ?? "");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>GET /api/health: status code and latency (0 for no answer).</summary>
    public async Task<(int Status, double Ms)> HealthAsync()
    {
        var sw = Stopwatch.StartNew();
        try
        {
            using var response = await Http.GetAsync(new Uri("api/health", UriKind.Relative));
            return ((int)response.StatusCode, sw.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (0, sw.Elapsed.TotalMilliseconds);
        }
    }

    public void Dispose()
    {
        sampler.Dispose();
        Sample();
        Http.Dispose();
        stack.Forget(process);
    }

    private void Sample()
    {
        try
        {
            PeakRssMb = Math.Max(PeakRssMb, process.Memory().Peak / (1024.0 * 1024));
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException or FormatException)
        {
        }
    }
}
