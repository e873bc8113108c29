using System.Net.Http.Headers;
using System.Security.Cryptography;
using FluxFunctions.Core.Runware;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FluxFunctions.Testing.Api;

/// <summary>
/// A self-hosted runner on a free loopback port against its own Azurite, with the real durable engine, a generated API
/// key, the limits of <see cref="ApiCases"/> and <see cref="FakeRunware"/> for Runware. Test projects derive from it and
/// supply <c>RunnerApp.Build</c> (this project cannot reference the runner).
/// </summary>
public abstract class RunnerFixture : IAsyncLifetime
{
    private readonly AzuriteFixture azurite = new();
    private WebApplication? app;

    public AzuriteFixture Azurite => azurite;

    public FakeRunware Runware { get; } = new();

    /// <summary>Everything the runner logged (through the same filters as its console).</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The key the runner accepts (<c>Flux__ApiKeys__0</c>).</summary>
    public string ApiKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public Uri BaseAddress { get; private set; } = null!;

    public WebApplication App => app ?? throw new InvalidOperationException("The runner has not started.");

    public IServiceProvider Services => App.Services;

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

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        app = BuildRunner(
            ["--urls", BaseAddress.ToString()],
            b =>
            {
                b.Configuration["AzureWebJobsStorage"] = azurite.ConnectionString;
                b.Configuration["Durable:HubName"] = "t" + Guid.NewGuid().ToString("N")[..12];
                b.Configuration["Runware:BaseUrl"] = BaseAddress + "v1";
                b.Configuration["Flux:ApiKeys:0"] = ApiKey;
                b.Configuration["Flux:WatchIntervalMs"] = "200";
                b.Configuration["Flux:PollInitialDelayMs"] = "200";
                b.Configuration["Flux:PollMaxDelayMs"] = "500";
                b.Configuration["Flux:AllowPrivateNetworkUrls"] = "false";
                b.Configuration["Flux:MaxRequestBytes"] = ApiCases.MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
                b.Configuration["Flux:MaxInputBytes"] = ApiCases.MaxInputBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
                b.Services.AddSingleton<IRunwareClient>(Runware);
                b.Logging.AddProvider(Logs);

                // As an operator might: ASP.NET Core's request lines on (they carry the query string, hence ?code=).
                b.Configuration["Logging:LogLevel:Microsoft.AspNetCore.Hosting"] = "Information";
            });
        await app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await azurite.DisposeAsync();
    }
}
