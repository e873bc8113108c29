using FluxFunctions.Api;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Composition;
using FluxFunctions.Core.Telemetry;
using OpenTelemetry.Trace;
using FluxFunctions.Core.Storage;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Runner.Durable;
using FluxFunctions.Runner.Http;
using FluxFunctions.Runner.Watching;
using Microsoft.DurableTask.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Runner;

/// <summary>
/// The self-hosted runner: the same orchestrations, activities and HTTP API as the Functions app, without the Functions
/// host. Configured like a Function App (SPEC §4: environment variables with <c>__</c> nesting); durable settings come
/// from host.json.
/// </summary>
public static class RunnerApp
{
    /// <summary>Builds the runner; <paramref name="configure"/> lets tests add configuration or replace services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "host.json",
            Optional = true,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
        });
        if (string.IsNullOrEmpty(builder.Configuration[StorageClients.SettingName]) && !builder.Configuration.GetSection(StorageClients.SettingName).GetChildren().Any())
        {
            builder.Configuration[StorageClients.SettingName] = "UseDevelopmentStorage=true";
        }

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        // ASP.NET Core's request lines include the query string, where an API key may travel (?code=): replaced by
        // RequestLogging, which logs the path only.
        builder.Logging.AddFilter(RequestLogging.HostingDiagnostics, LogLevel.Warning);

        var services = builder.Services;
        services.AddOptions<DurableOptions>()
            .Bind(builder.Configuration.GetSection(DurableOptions.Section))
            .PostConfigure<IConfiguration>((o, config) =>
            {
                if (string.IsNullOrEmpty(config[$"{DurableOptions.Section}:HubName"]) && config["extensions:durableTask:hubName"] is { Length: > 0 } hub)
                {
                    o.HubName = hub;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddFluxCore(builder.Configuration);
        services.AddFluxApi();
        services.AddFluxTelemetry(builder.Configuration, "FluxFunctions.Runner", tracing => tracing.AddAspNetCoreInstrumentation());

        // HTTP API: keys like a Function App's (required unless Flux__AllowAnonymous=true), the body cap enforced by
        // Kestrel too, and problem+json without internals for anything unhandled.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FluxOptions>, RunnerAuthValidator>());
        services.AddSingleton<ApiKeyVerifier>();
        services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((k, config) =>
            k.Limits.MaxRequestBodySize = config.GetValue<long?>($"{FluxOptions.Section}:{nameof(FluxOptions.MaxRequestBytes)}") ?? new FluxOptions().MaxRequestBytes);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();

        // The durable engine first: its sidecar must listen before the worker and client connect.
        var socket = new SidecarSocket();
        services.AddSingleton(socket);
        services.AddHostedService<DurableSidecar>();
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(socket.Channel);
            worker.AddTasks(registry => registry.AddFluxTasks());
            worker.Configure(o =>
            {
                o.Concurrency.MaximumConcurrentActivityWorkItems = builder.Configuration.GetValue($"{DurableOptions.Section}:MaxConcurrentActivities", 64);
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = builder.Configuration.GetValue($"{DurableOptions.Section}:MaxConcurrentOrchestrations", 32);
            });
        });
        services.AddDurableTaskClient(client => client.UseGrpc(socket.Channel));

        services.AddSingleton<WatchCheckpoint>();
        services.AddSingleton<LeaderLease>();
        services.AddSingleton<InputWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<InputWatcher>());

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRunnerPage();
        app.MapRunnerApi();
        return app;
    }
}
