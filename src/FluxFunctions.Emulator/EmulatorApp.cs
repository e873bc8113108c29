using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Faults;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Protocol;
using FluxFunctions.Emulator.Protocol.Handlers;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;
using FluxFunctions.Emulator.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator;

/// <summary>
/// Builds and starts the Runware emulator: <c>POST /v1</c> (Runware's REST protocol), <c>GET /emulator/images/…</c> and
/// the inspection routes <c>/emulator/requests</c>, <c>/emulator/stats</c>, <c>/emulator/faults</c>, <c>/emulator/dialect</c>,
/// <c>/emulator/network</c>, <c>/emulator/health</c>.
/// </summary>
public static class EmulatorApp
{
    private static readonly Dictionary<string, string?> QuietDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:System.Net.Http"] = "Warning",
    };

    /// <summary>Builds the app from command-line arguments (<c>--urls</c>, <c>--Emulator:LatencyMs=200</c>, …) without starting it.</summary>
    /// <param name="args">Command-line arguments; settings also come from <c>Emulator__*</c> environment variables.</param>
    /// <param name="configure">Applied after configuration binding, before validation.</param>
    public static WebApplication Create(string[] args, Action<EmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietDefaults });
        AddEmulator(builder.Services, builder.Configuration, configure);

        var app = builder.Build();
        app.Use((http, next) => http.RequestServices.GetRequiredService<NetworkDistance>().TravelAsync(http, () => next(http)));
        app.MapPost("/v1", (HttpContext http, ApiEndpoint endpoint) => endpoint.HandleAsync(http));
        app.MapImages();
        app.MapInspection();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    /// <summary>Starts an emulator in-process on a real loopback port (port 0 picks a free one); quiet logs.</summary>
    /// <param name="url">The URL to listen on.</param>
    /// <param name="configure">Settings for this instance (applied over configuration and environment).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static async Task<RunningEmulator> StartAsync(string url = "http://127.0.0.1:0", Action<EmulatorOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        var app = Create(["--urls", url, "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"], configure);
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new RunningEmulator(app, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static void AddEmulator(IServiceCollection services, IConfiguration configuration, Action<EmulatorOptions>? configure)
    {
        services.AddOptions<EmulatorOptions>()
            .Bind(configuration.GetSection(EmulatorOptions.Section))
            .Configure(options => configure?.Invoke(options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        services.AddHttpClient(ImageDownloader.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => Dialect.From(provider.GetRequiredService<IOptions<EmulatorOptions>>()));
        services.AddSingleton<EmulatorStats>();
        services.AddSingleton<RequestRecorder>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<ImageStore>();
        services.AddSingleton<ImageDownloader>();
        services.AddSingleton<ImageResolver>();
        services.AddSingleton<InferenceRenderer>();
        services.AddSingleton<EncodedImageCache>();
        services.AddSingleton<TaskRegistry>();
        services.AddSingleton<ForgottenTasks>();
        services.AddSingleton<ResultLifetime>();
        services.AddSingleton<ResultEntries>();
        services.AddSingleton<SafetySwitch>();
        services.AddSingleton<NetworkDistance>();
        services.AddSingleton<InferenceRunner>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookSender>());

        services.AddSingleton<InferenceValidator>();
        services.AddSingleton<UploadValidator>();
        services.AddSingleton<PreprocessValidator>();
        services.AddSingleton<Duplicates>();
        services.AddSingleton<TaskLookup>();
        services.AddSingleton<TaskAnswers>();
        services.AddSingleton<ITaskHandler, UploadHandler>();
        services.AddSingleton<ITaskHandler, InferenceHandler>();
        services.AddSingleton<ITaskHandler, PreprocessHandler>();
        services.AddSingleton<ITaskHandler, GetResponseHandler>();
        services.AddSingleton<ITaskHandler, TaskDetailsHandler>();
        services.AddSingleton<TaskDispatcher>();
        services.AddSingleton<ApiKeyCheck>();
        services.AddSingleton<FaultResponder>();
        services.AddSingleton<ApiEndpoint>();
    }

    private static void LogStarted(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value;
        var faults = app.Services.GetRequiredService<FaultInjector>().Plan.ToString();
        var urls = string.Join(", ", app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FluxFunctions.Emulator");
        Log.Started(logger, urls, options.LatencyMs, options.RoundTripMs, faults, options.RequiresApiKey ? "on" : "off", options.MinDimension, options.MaxDimension, options.FillDrift);
        var dialect = app.Services.GetRequiredService<Dialect>();
        Log.DialectInForce(logger, UnknownTaskDialects.Names.Name(dialect.UnknownTask), DuplicateTaskDialects.Names.Name(dialect.DuplicateTask),
            WebhookShapes.Names.Name(dialect.WebhookShape), dialect.VisibleAfterMs, options.ResultTtlSeconds);
    }
}
