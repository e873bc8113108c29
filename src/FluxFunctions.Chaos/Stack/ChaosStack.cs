using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Processes;

namespace FluxFunctions.Chaos.Stack;

/// <summary>
/// The processes of one chaos run on loopback: Azurite (on disk, so it can be stopped and started again with its data),
/// and per scenario a Runware emulator and runner processes. Every process it starts is stopped on dispose.
/// </summary>
internal sealed class ChaosStack : IAsyncDisposable
{
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly List<ChildProcess> children = [];
    private readonly int blobPort = LoopbackPorts.Free();
    private readonly int queuePort = LoopbackPorts.Free();
    private readonly int tablePort = LoopbackPorts.Free();
    private ChildProcess? azurite;

    public ChaosStack(string root, string work, string configuration)
    {
        Root = root;
        Work = work;
        Configuration = configuration;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    /// <summary>The Runware API key the runner sends and the emulator requires: it must never show up anywhere.</summary>
    public string RunwareKey { get; } = "rw-SECRET-" + Guid.NewGuid().ToString("N");

    /// <summary>The runner's HTTP key: it must never show up anywhere either.</summary>
    public string HttpKey { get; } = "http-SECRET-" + Guid.NewGuid().ToString("N");

    public string Root { get; }

    public string Work { get; }

    public string Configuration { get; }

    public string ConnectionString { get; }

    public string LogDir => Path.Combine(Work, "logs");

    /// <summary>The text of every <c>/emulator/requests</c> read during the run (for the secrets check).</summary>
    public List<string> RecordedRequests { get; } = [];

    /// <summary>Every log file written by a process of this run.</summary>
    public IEnumerable<string> LogFiles => Directory.Exists(LogDir) ? Directory.EnumerateFiles(LogDir, "*.log") : [];

    public async Task StartAzuriteAsync()
    {
        azurite = ChildProcess.Start(
            "Azurite",
            Path.Combine(Root, "scripts", "node_modules", ".bin", "azurite"),
            ["--silent", "--disableTelemetry", "--skipApiVersionCheck", "--disableProductStyleUrl", "--location", Path.Combine(Work, "azurite"),
             "--blobHost", "127.0.0.1", "--blobPort", LoopbackPorts.Str(blobPort), "--queueHost", "127.0.0.1", "--queuePort", LoopbackPorts.Str(queuePort),
             "--tableHost", "127.0.0.1", "--tablePort", LoopbackPorts.Str(tablePort)],
            new Dictionary<string, string>(),
            Path.Combine(LogDir, "azurite.log"));
        children.Add(azurite);
        await azurite.WaitForPortAsync(blobPort, TimeSpan.FromSeconds(60));
        await azurite.WaitForPortAsync(queuePort, TimeSpan.FromSeconds(60));
        await azurite.WaitForPortAsync(tablePort, TimeSpan.FromSeconds(60));
    }

    /// <summary>Stops Azurite (SIGTERM, its data stays on disk).</summary>
    public async Task StopAzuriteAsync()
    {
        if (azurite is not null)
        {
            await azurite.StopAsync(TimeSpan.FromSeconds(10));
            azurite.Dispose();
            children.Remove(azurite);
            azurite = null;
        }
    }

    /// <summary>Starts a Runware emulator with <paramref name="settings"/> (<c>Emulator__*</c>).</summary>
    public async Task<EmulatorHandle> StartEmulatorAsync(string name, IReadOnlyDictionary<string, string> settings)
    {
        var port = LoopbackPorts.Free();
        var environment = new Dictionary<string, string>(settings) { ["Emulator__ApiKey"] = RunwareKey };
        var process = ChildProcess.Start(
            $"emulator-{name}",
            "dotnet",
            [Dll("FluxFunctions.Emulator"), "--urls", $"http://127.0.0.1:{port}"],
            environment,
            Path.Combine(LogDir, $"emulator-{name}.log"));
        children.Add(process);
        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(90));
        return new EmulatorHandle(process, new Uri($"http://127.0.0.1:{port}/"), RecordedRequests, LogDir);
    }

    /// <summary>Starts a runner process with <paramref name="settings"/> and waits until it listens.</summary>
    public async Task<ChildProcess> StartRunnerAsync(string name, IReadOnlyDictionary<string, string> settings, int port)
    {
        var process = ChildProcess.Start(
            $"runner-{name}",
            "dotnet",
            [Dll("FluxFunctions.Runner"), "--urls", $"http://127.0.0.1:{port}"],
            settings,
            Path.Combine(LogDir, $"runner-{name}.log"));
        children.Add(process);
        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(90));
        return process;
    }

    /// <summary>Forgets a process that was killed or stopped.</summary>
    public void Forget(ChildProcess process)
    {
        process.Dispose();
        children.Remove(process);
    }

    public ValueTask DisposeAsync()
    {
        for (var i = children.Count - 1; i >= 0; i--)
        {
            children[i].Dispose();
        }

        children.Clear();
        return ValueTask.CompletedTask;
    }

    private string Dll(string project) => Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", project + ".dll");
}

/// <summary>A running emulator: its process and its inspection endpoints.</summary>
internal sealed class EmulatorHandle(ChildProcess process, Uri baseAddress, List<string> sink, string dump) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public ChildProcess Process => process;

    public Uri ApiUrl => new(baseAddress, "v1");

    public async Task<JsonObject> StatsAsync() =>
        (JsonObject)JsonNode.Parse(await http.GetStringAsync(new Uri("emulator/stats", UriKind.Relative)))!;

    public async Task<JsonArray> RequestsAsync()
    {
        var text = await http.GetStringAsync(new Uri("emulator/requests", UriKind.Relative));
        lock (sink)
        {
            sink.Add(text);
            File.WriteAllText(Path.Combine(dump, $"requests-{process.Name}-{sink.Count}.json"), text);
        }

        var node = JsonNode.Parse(text)!;
        return node as JsonArray ?? node["requests"] as JsonArray ?? [];
    }

    public async Task SetFaultsAsync(string faults)
    {
        using var content = new StringContent(new JsonObject { ["faults"] = faults }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(new Uri("emulator/faults", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    public async Task RestoreFaultsAsync()
    {
        using var response = await http.DeleteAsync(new Uri("emulator/faults", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public static long Long(JsonNode? node) => node is null ? 0 : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    public void Dispose() => http.Dispose();
}
