using System.Globalization;
using FluxFunctions.Runner;
using FluxFunctions.Runner.Durable;
using FluxFunctions.Testing.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The built Functions worker process under <see cref="FunctionsHostStandIn"/>, with the app settings a Function App
/// would give it pointing at this fixture's Azurite and Runware emulator, and a runner (idle input watcher) whose durable
/// engine the worker's <c>[DurableClient]</c> bindings are pointed at through <see cref="UnixSocketRelay"/>.
/// </summary>
public sealed class FunctionsHostFixture : RunnerFixture, IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private UnixSocketRelay? relay;
    private FunctionsHostStandIn? host;
    private bool disposed;

    public FunctionsHostStandIn Host => host ?? throw new InvalidOperationException("The stand-in host has not started.");

    /// <summary>The runner's durable engine as an <c>http://</c> gRPC address (what the Durable extension calls rpcBaseUrl).</summary>
    public Uri DurableEndpoint => relay?.Address ?? throw new InvalidOperationException("The relay has not started.");

    /// <summary>Another relay to the runner's durable engine (a distinct address), for a test that needs a fresh client.</summary>
    public UnixSocketRelay NewDurableEndpoint()
    {
        var other = new UnixSocketRelay(Services.GetRequiredService<SidecarSocket>().Path);
        other.Start();
        return other;
    }

    /// <summary>The runner's task hub.</summary>
    public string TaskHub => Services.GetRequiredService<IOptions<DurableOptions>>().Value.HubName;

    async Task IAsyncLifetime.InitializeAsync()
    {
        try
        {
            await InitializeAsync();
            relay = new UnixSocketRelay(Services.GetRequiredService<SidecarSocket>().Path);
            relay.Start();
            host = await FunctionsHostStandIn.StartAsync(new WorkerLaunch(WorkerLaunch.BuiltAppDirectory, AppSettings()), StartTimeout);
        }
        catch
        {
            // Whatever started is stopped (Azurite, the emulator, the runner, the worker) before the failure is reported.
            await ((IAsyncLifetime)this).DisposeAsync();
            throw;
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (relay is not null)
        {
            await relay.DisposeAsync();
        }

        await DisposeAsync();
    }

    protected override WebApplication BuildRunner(string[] args, Action<WebApplicationBuilder> configure) =>
        RunnerApp.Build(args, b =>
        {
            configure(b);
            b.Configuration["Flux:WatchIntervalMs"] = "600000";
        });

    /// <summary>The Function App's settings (environment variables, <c>__</c> nesting), as local.settings.sample.json names them.</summary>
    private Dictionary<string, string> AppSettings() => new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage"] = Azurite.ConnectionString,
        ["Runware__BaseUrl"] = Emulator.ApiUrl.ToString(),
        ["Runware__ApiKey"] = RunwareKey,
        ["Flux__InputContainer"] = "flux-inputs",
        ["Flux__OutputContainer"] = "flux-outputs",
        ["Flux__AllowPrivateNetworkUrls"] = "false",
        ["Flux__PollInitialDelayMs"] = "200",
        ["Flux__PollMaxDelayMs"] = "500",
        ["Flux__MaxRequestBytes"] = ApiCases.MaxRequestBytes.ToString(CultureInfo.InvariantCulture),
        ["Flux__MaxInputBytes"] = ApiCases.MaxInputBytes.ToString(CultureInfo.InvariantCulture),
        ["AzureWebJobs.BlobDropEventGrid.Disabled"] = "true",
    };
}

[CollectionDefinition(Name)]
public sealed class FunctionsHostCollection : ICollectionFixture<FunctionsHostFixture>
{
    public const string Name = "functions host stand-in";
}
