using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FluxFunctions.Emulator;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// One isolated pipeline for one test: its own containers and task hub on the shared Azurite, its own Runware emulator
/// on a loopback port, and a runner (in-process here; <see cref="RunnerProcess"/> for crash tests) wired to both.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly AzuriteFixture azurite;
    private WebApplication? runner;

    private PipelineHarness(AzuriteFixture azurite, RunningEmulator emulator, string id)
    {
        this.azurite = azurite;
        Emulator = emulator;
        Id = id;
    }

    public string Id { get; }

    public RunningEmulator Emulator { get; }

    public string InputContainer => $"in-{Id}";

    public string OutputContainer => $"out-{Id}";

    public string FailedContainer => $"failed-{Id}";

    public string WorkContainer => $"work-{Id}";

    public string QuarantineContainer => $"quar-{Id}";

    public string HubName => $"hub{Id}";

    public BlobServiceClient Blobs => azurite.BlobService;

    public BlobContainerClient Inputs => Blobs.GetBlobContainerClient(InputContainer);

    public BlobContainerClient Outputs => Blobs.GetBlobContainerClient(OutputContainer);

    public BlobContainerClient Failed => Blobs.GetBlobContainerClient(FailedContainer);

    public BlobContainerClient Quarantine => Blobs.GetBlobContainerClient(QuarantineContainer);

    public IServiceProvider Services => runner?.Services ?? throw new InvalidOperationException("No in-process runner.");

    /// <summary>Where the in-process runner listens (chosen up front, so settings can point at it).</summary>
    public Uri RunnerAddress { get; } = new($"http://127.0.0.1:{FreePort.Next()}/");

    /// <summary>The runner's HTTP API key (<c>Flux__ApiKeys__0</c>).</summary>
    public string ApiKey => "test-key-" + Id;

    /// <summary>An HTTP client for the in-process runner, with the API key.</summary>
    public HttpClient ApiClient()
    {
        var client = new HttpClient { BaseAddress = RunnerAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        return client;
    }

    public DurableTaskClient DurableClient => Services.GetRequiredService<DurableTaskClient>();

    public static async Task<PipelineHarness> CreateAsync(AzuriteFixture azurite, int latencyMs = 200, Action<EmulatorOptions>? emulator = null)
    {
        var running = await EmulatorApp.StartAsync(configure: o =>
        {
            o.LatencyMs = latencyMs;
            emulator?.Invoke(o);
        });
        var harness = new PipelineHarness(azurite, running, Guid.NewGuid().ToString("N")[..10]);
        await harness.Inputs.CreateIfNotExistsAsync();
        return harness;
    }

    /// <summary>The runner's settings as environment-style keys (for <see cref="RunnerProcess"/>) .</summary>
    public Dictionary<string, string> Settings(IDictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Runware__BaseUrl"] = Emulator.ApiUrl.ToString(),
            ["Durable__HubName"] = HubName,
            ["Durable__MaxQueuePollingIntervalMs"] = "200",
            ["Durable__PartitionLeaseSeconds"] = "10",
            ["Durable__WorkItemVisibilitySeconds"] = "10",
            ["Durable__ControlQueueVisibilitySeconds"] = "15",
            ["Flux__InputContainer"] = InputContainer,
            ["Flux__OutputContainer"] = OutputContainer,
            ["Flux__FailedContainer"] = FailedContainer,
            ["Flux__WorkContainer"] = WorkContainer,
            ["Flux__QuarantineContainer"] = QuarantineContainer,
            ["Flux__WatchIntervalMs"] = "200",
            ["Flux__PollInitialDelayMs"] = "200",
            ["Flux__PollMaxDelayMs"] = "1000",
            ["Flux__CompanionWaitSeconds"] = "30",
            ["Flux__OptionalCompanionWaitSeconds"] = "1",
            ["Flux__ApiKeys__0"] = ApiKey,
            ["Flux__AllowPrivateNetworkUrls"] = "true",
            ["Runware__RetryBaseDelayMs"] = "50",

            // A restart loses the runner's watched results and slot queue: the jobs check for themselves this soon.
            ["Runware__WebhookFallbackSeconds"] = "3",
        };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string>())
        {
            settings[k] = v;
        }

        return settings;
    }

    /// <summary>Starts the runner in this process.</summary>
    public async Task StartRunnerAsync(IDictionary<string, string>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var settings = Settings(overrides);
        runner = RunnerApp.Build(
            ["--urls", RunnerAddress.ToString().TrimEnd('/')],
            b =>
            {
                foreach (var (k, v) in settings)
                {
                    b.Configuration[k.Replace("__", ":", StringComparison.Ordinal)] = v;
                }

                configure?.Invoke(b);
            });
        await runner.StartAsync();
    }

    public Task StopRunnerAsync() => runner?.StopAsync() ?? Task.CompletedTask;

    public async Task<string> DropAsync(string name, byte[] content)
    {
        var result = await Inputs.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return result.Value.ETag.ToString();
    }

    public Task<string> DropAsync(string name, string text) => DropAsync(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Every manifest in the output container.</summary>
    public async Task<List<(string Name, JsonNode Json)>> ManifestsAsync(string prefix = "")
    {
        var list = new List<(string, JsonNode)>();
        if (!await Outputs.ExistsAsync())
        {
            return list;
        }

        await foreach (var item in Outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            if (item.Name.EndsWith("/manifest.json", StringComparison.Ordinal))
            {
                list.Add((item.Name, await ReadJsonAsync(Outputs, item.Name)));
            }
        }

        return list;
    }

    /// <summary>Every failure record.</summary>
    public async Task<List<(string Name, JsonNode Json)>> FailuresAsync(string prefix = "")
    {
        var list = new List<(string, JsonNode)>();
        if (!await Failed.ExistsAsync())
        {
            return list;
        }

        await foreach (var item in Failed.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            list.Add((item.Name, await ReadJsonAsync(Failed, item.Name)));
        }

        return list;
    }

    /// <summary>Waits until <paramref name="count"/> manifests and failure records exist in total under the prefix.</summary>
    public async Task<(List<(string Name, JsonNode Json)> Manifests, List<(string Name, JsonNode Json)> Failures)> WaitForOutcomesAsync(int count, TimeSpan timeout, string prefix = "")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var manifests = await ManifestsAsync(prefix);
            var failures = await FailuresAsync(prefix);
            if (manifests.Count + failures.Count >= count || DateTime.UtcNow > deadline)
            {
                return (manifests, failures);
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The emulator's counters.</summary>
    public async Task<JsonNode> StatsAsync()
    {
        using var http = new HttpClient();
        return JsonNode.Parse(await http.GetStringAsync(new Uri(Emulator.BaseAddress, "emulator/stats")))!;
    }

    /// <summary>The task objects of every request the emulator recorded, with their HTTP status and when it was recorded.</summary>
    public async Task<List<(JsonObject Task, int Status, DateTimeOffset Time)>> RecordedTasksAsync()
    {
        using var http = new HttpClient();
        var requests = JsonNode.Parse(await http.GetStringAsync(new Uri(Emulator.BaseAddress, "emulator/requests")))!.AsArray();
        var tasks = new List<(JsonObject, int, DateTimeOffset)>();
        foreach (var r in requests)
        {
            if (r?["body"] is JsonArray body)
            {
                var time = DateTimeOffset.Parse((string)r["time"]!, CultureInfo.InvariantCulture);
                foreach (var t in body.OfType<JsonObject>())
                {
                    tasks.Add((t, (int?)r["status"] ?? 0, time));
                }
            }
        }

        return tasks;
    }

    public async ValueTask DisposeAsync()
    {
        if (runner is not null)
        {
            await runner.StopAsync();
            await runner.DisposeAsync();
        }

        await Emulator.DisposeAsync();
    }

    private static async Task<JsonNode> ReadJsonAsync(BlobContainerClient container, string name)
    {
        var content = await container.GetBlobClient(name).DownloadContentAsync();
        return JsonNode.Parse(content.Value.Content.ToString())!;
    }
}
