using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FluxFunctions.Testing.Api;

/// <summary>
/// A self-hosted runner on a free loopback port against its own Azurite, with the real durable engine, the real Runware
/// client talking HTTP to the Runware emulator (in-process, with an API key), a generated HTTP API key, and the limits
/// of <see cref="ApiCases"/>. Test projects derive from it and supply <c>RunnerApp.Build</c> (this project cannot
/// reference the runner).
/// </summary>
public abstract class RunnerFixture : IAsyncLifetime
{
    private readonly AzuriteFixture azurite = new();
    private RunningEmulator? emulator;
    private WebApplication? app;

    public AzuriteFixture Azurite => azurite;

    /// <summary>The Runware emulator the runner talks to.</summary>
    public RunningEmulator Emulator => emulator ?? throw new InvalidOperationException("The emulator has not started.");

    /// <summary>Everything the runner logged (through the same filters as its console).</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The key the runner accepts (<c>Flux__ApiKeys__0</c>).</summary>
    public string ApiKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>The Runware key (<c>Runware__ApiKey</c>, required by the emulator): must never appear in an answer.</summary>
    public string RunwareKey { get; } = "rw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public Uri BaseAddress { get; private set; } = null!;

    public WebApplication App => app ?? throw new InvalidOperationException("The runner has not started.");

    public IServiceProvider Services => App.Services;

    /// <summary>Emulator settings of a derived fixture (e.g. a latency, so jobs stay running long enough to be watched).</summary>
    protected virtual void ConfigureEmulator(FluxFunctions.Emulator.Configuration.EmulatorOptions options)
    {
    }

    /// <summary>Builds the runner (<c>RunnerApp.Build</c>).</summary>
    protected abstract WebApplication BuildRunner(string[] args, Action<WebApplicationBuilder> configure);

    /// <summary>An HTTP client for the runner; with the key in <c>x-functions-key</c> unless <paramref name="withKey"/> is false.</summary>
    public HttpClient CreateClient(bool withKey = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        if (withKey)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>The Runware tasks the emulator received so far (every task of every recorded request).</summary>
    public async Task<IReadOnlyList<JsonObject>> RunwareTasksAsync()
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        var requests = JsonNode.Parse(await http.GetStringAsync(new Uri("emulator/requests", UriKind.Relative)))!.AsArray();
        return requests.Select(r => r?["body"]).OfType<JsonArray>().SelectMany(b => b.OfType<JsonObject>()).ToList();
    }

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        emulator = await EmulatorApp.StartAsync(configure: o =>
        {
            o.ApiKey = RunwareKey;
            ConfigureEmulator(o);
        });
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        app = BuildRunner(
            ["--urls", BaseAddress.ToString()],
            b =>
            {
                b.Configuration["AzureWebJobsStorage"] = azurite.ConnectionString;
                b.Configuration["Durable:HubName"] = "t" + Guid.NewGuid().ToString("N")[..12];
                b.Configuration["Runware:BaseUrl"] = Emulator.ApiUrl.ToString();
                b.Configuration["Runware:ApiKey"] = RunwareKey;
                b.Configuration["Flux:ApiKeys:0"] = ApiKey;
                b.Configuration["Flux:WatchIntervalMs"] = "200";
                b.Configuration["Flux:PollInitialDelayMs"] = "200";
                b.Configuration["Flux:PollMaxDelayMs"] = "500";
                b.Configuration["Flux:AllowPrivateNetworkUrls"] = "false";
                b.Configuration["Flux:MaxRequestBytes"] = ApiCases.MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
                b.Configuration["Flux:MaxInputBytes"] = ApiCases.MaxInputBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
                b.Logging.AddProvider(Logs);

                // As an operator might: ASP.NET Core's request lines on (they carry the query string, hence ?code=).
                b.Configuration["Logging:LogLevel:Microsoft.AspNetCore.Hosting"] = "Information";
            });
        await app.StartAsync();
        await StartedAsync();
    }

    /// <summary>Runs once the runner has started, before the first test.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        await azurite.DisposeAsync();
    }
}
