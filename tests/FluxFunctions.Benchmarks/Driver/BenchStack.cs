using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using FluxFunctions.Testing;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// Azurite, the Runware emulator (a separate process with a configured inference latency) and runner processes
/// (<c>FluxFunctions.Runner</c>, the same build as the emulator), all on free loopback ports; stopped on dispose.
/// </summary>
internal sealed class BenchStack : IAsyncDisposable
{
    private readonly AzuriteFixture azurite = new() { SeparateProcesses = true };
    private readonly List<ServerProcess> runners = [];
    private readonly List<ServerProcess> emulators = [];
    private ServerProcess? emulator;

    private readonly IReadOnlyDictionary<string, string> runnerSettings;

    private BenchStack(string work, string configuration, int latencyMs, IReadOnlyDictionary<string, string> runnerSettings)
    {
        this.runnerSettings = runnerSettings;
        Work = work;
        Configuration = configuration;
        LatencyMs = latencyMs;
        ApiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    public string Work { get; }

    public string Configuration { get; }

    /// <summary>The emulator's configured time per inference.</summary>
    public int LatencyMs { get; }

    public string ApiKey { get; }

    public BlobServiceClient Blobs => azurite.BlobService;

    /// <summary>Azurite's queue service port (for a counting proxy in front of it).</summary>
    public int QueuePort => azurite.QueuePort;

    /// <summary>Azurite's table service port.</summary>
    public int TablePort => azurite.TablePort;

    /// <summary>Azurite's blob endpoint for the development account.</summary>
    public string BlobEndpoint => $"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1";

    public Uri EmulatorAddress => emulator!.BaseAddress;

    public static async Task<BenchStack> StartAsync(string work, string configuration, int latencyMs, IReadOnlyDictionary<string, string> runnerSettings)
    {
        var stack = new BenchStack(work, configuration, latencyMs, runnerSettings);
        try
        {
            await stack.azurite.InitializeAsync();
            stack.emulator = await ServerProcess.StartDotnetAsync(
                "emulator",
                Dll("FluxFunctions.Emulator", configuration),
                FreePort.Next(),
                new Dictionary<string, string> { ["Emulator__LatencyMs"] = latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                Path.Combine(work, "logs", "emulator.log"));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>A second emulator with its own inference time (the capacity figures use a fast one).</summary>
    public async Task<ServerProcess> StartEmulatorAsync(string name, int latencyMs)
    {
        var started = await ServerProcess.StartDotnetAsync(
            name,
            Dll("FluxFunctions.Emulator", Configuration),
            FreePort.Next(),
            new Dictionary<string, string>
            {
                ["Emulator__LatencyMs"] = latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Emulator__MaxRecordedRequests"] = "1000",

                // Results must outlive a backlog (a job fetches its result when its finishing activity runs, minutes later in
                // a 2000-job batch): with 1000 images 1436 of 2000 jobs found theirs gone. The price is the emulator's heap.
                ["Emulator__MaxImages"] = "20000",
            },
            Path.Combine(Work, "logs", name + ".log"));
        emulators.Add(started);
        return started;
    }

    public void StopEmulator(ServerProcess server)
    {
        emulators.Remove(server);
        server.Dispose();
    }

    /// <summary>
    /// Starts a runner on <paramref name="hub"/> with the pipeline's defaults plus the run's <c>--runner-setting</c>s and
    /// the settings <paramref name="extra"/> gives for the runner's own address (a webhook base URL names it).
    /// </summary>
    public async Task<ServerProcess> StartRunnerAsync(string name, string hub, Func<Uri, IReadOnlyDictionary<string, string>> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var port = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Runware__BaseUrl"] = new Uri(EmulatorAddress, "v1").ToString(),
            ["Durable__HubName"] = hub,
            ["Flux__ApiKeys__0"] = ApiKey,
            ["Flux__MaxConcurrentInferences"] = "8",
        };
        foreach (var (k, v) in runnerSettings.Concat(extra(new Uri($"http://127.0.0.1:{port}/"))))
        {
            settings[k] = v;
        }

        var runner = await ServerProcess.StartDotnetAsync(name, Dll("FluxFunctions.Runner", Configuration), port, settings, Path.Combine(Work, "logs", name + ".log"));
        runners.Add(runner);
        return runner;
    }

    public void StopRunner(ServerProcess runner)
    {
        runners.Remove(runner);
        runner.Dispose();
    }

    /// <summary>
    /// Deletes a task hub's queues, tables and blob containers once its runners are stopped, so what a phase leaves
    /// behind (messages of jobs it did not finish, history rows) does not slow the next one: Azurite's queue service pauses
    /// in proportion to the messages it holds.
    /// </summary>
    public async Task DropHubAsync(string hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var prefix = hub.ToLowerInvariant();
        var queues = new Azure.Storage.Queues.QueueServiceClient(azurite.ConnectionString);
        await foreach (var q in queues.GetQueuesAsync(prefix: prefix))
        {
            await queues.DeleteQueueAsync(q.Name);
        }

        var tables = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString);
        await foreach (var t in tables.QueryAsync())
        {
            if (t.Name.StartsWith(hub, StringComparison.OrdinalIgnoreCase))
            {
                await tables.DeleteTableAsync(t.Name);
            }
        }

        await foreach (var c in azurite.BlobService.GetBlobContainersAsync(prefix: prefix))
        {
            var container = azurite.BlobService.GetBlobContainerClient(c.Name);
            if (c.Properties.LeaseState == Azure.Storage.Blobs.Models.LeaseState.Leased)
            {
                await Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetBlobLeaseClient(container).BreakAsync(TimeSpan.Zero);
            }

            await container.DeleteAsync();
        }
    }

    public async Task<JsonObject> EmulatorStatsAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return (await http.GetFromJsonAsync<JsonObject>(new Uri(EmulatorAddress, "emulator/stats")))!;
    }

    public async Task ResetEmulatorStatsAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var r = await http.DeleteAsync(new Uri(EmulatorAddress, "emulator/stats"));
        r.EnsureSuccessStatusCode();
    }

    /// <summary>Sets the emulator's network round trip to Runware (<c>PUT /emulator/network</c>; 0 for none).</summary>
    public async Task SetRoundTripAsync(HttpClient http, int milliseconds)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var r = await http.PutAsJsonAsync(new Uri(EmulatorAddress, "emulator/network"), new { roundTripMs = milliseconds });
        r.EnsureSuccessStatusCode();
    }

    /// <summary>Azurite's services and their ports.</summary>
    public IEnumerable<(string Name, int Port)> StorageServices() =>
        [("blob", azurite.BlobPort), ("queue", azurite.QueuePort), ("table", azurite.TablePort)];

    /// <summary>Every process of the stack now, by name (runners, the emulator, Azurite's services, this benchmark).</summary>
    public IEnumerable<(string Name, Process Process)> Processes()
    {
        foreach (var r in runners)
        {
            yield return (r.Name, Process.GetProcessById(r.Id));
        }

        foreach (var e in emulators.Prepend(emulator).OfType<ServerProcess>())
        {
            yield return (e.Name, Process.GetProcessById(e.Id));
        }

        foreach (var a in azurite.Processes)
        {
            yield return a;
        }

        yield return ("bench", Process.GetCurrentProcess());
    }

    private static string Dll(string project, string configuration) =>
        Path.Combine(RepoPaths.Root, "src", project, "bin", configuration, "net10.0", project + ".dll");

    /// <summary>Stops everything at once (SIGTERM from the script's time limit: no orphaned servers).</summary>
    public void Kill()
    {
        foreach (var r in runners.ToList())
        {
            r.Dispose();
        }

        emulator?.Dispose();
        foreach (var e in emulators.ToList())
        {
            e.Dispose();
        }

        azurite.DisposeAsync().GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var r in runners)
        {
            r.Dispose();
        }

        runners.Clear();
        emulator?.Dispose();
        foreach (var e in emulators.ToList())
        {
            e.Dispose();
        }
        emulators.Clear();
        await azurite.DisposeAsync();
    }
}
