using FluxFunctions.Core.Callbacks;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Health;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Core.Storage;
using FluxFunctions.Core.Webhooks;
using FluxFunctions.ImageRules;
using FluxFunctions.Runware;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Composition;

/// <summary>Registers the pipeline's services, identically for the Functions app and the self-hosted runner.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>The activity classes, registered by both hosts.</summary>
    public static IReadOnlyList<Type> ActivityTypes { get; } =
    [
        typeof(PrepareInputs),
        typeof(RunInference),
        typeof(PollInference),
        typeof(FinishJob),
        typeof(WriteFailure),
        typeof(ReleaseSlots),
        typeof(ClaimCancel),
        typeof(DeliverCallback),
    ];

    /// <summary>Options (validated on start), storage, the Runware client, image work, job starting and the activities.</summary>
    public static IServiceCollection AddFluxCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<FluxOptions>().Bind(configuration.GetSection(FluxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FluxOptions>, SafetyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => StorageClients.CreateBlobServiceClient(configuration));
        services.TryAddSingleton<FluxStorage>();
        services.TryAddSingleton(sp =>
        {
            var runware = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RunwareOptions>>().Value;
            return new SizeRules(runware.MinDimension, runware.MaxDimension);
        });
        services.TryAddSingleton<ImageWork>();
        services.TryAddSingleton(_ => StorageClients.CreateTableServiceClient(configuration));
        services.TryAddSingleton(sp => InferenceSlots.Create(
            sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>(),
            sp.GetRequiredService<IOptions<FluxOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<InferenceSlots>>()));
        services.TryAddSingleton(sp => new InferenceTimings(sp.GetService<TimeProvider>(), InferenceTimings.WatchedHitRate));
        services.TryAddSingleton<ResultWatch>();
        services.TryAddSingleton<InferenceRunner>();
        services.TryAddSingleton<ImageTransfer>();
        services.TryAddSingleton<InputPreparer>();
        services.TryAddSingleton<FolderDefaults>();
        services.TryAddSingleton<CompanionReader>();
        services.TryAddSingleton<GuideMaker>();
        services.TryAddSingleton<JobFinisher>();
        services.TryAddSingleton<JobEndClaim>();
        services.AddHostedService<NativeHeapSetup>();
        services.AddHostedService<StorageReadiness>();
        services.TryAddSingleton<JobSettingsFactory>();
        services.TryAddSingleton<JobStarter>();
        services.TryAddSingleton<DropDispatcher>();
        services.TryAddSingleton<HealthProbe>();
        services.TryAddSingleton<IUrlPolicy>(sp => new NetworkUrlPolicy(sp.GetRequiredService<IOptions<FluxOptions>>().Value.AllowPrivateNetworkUrls));
        services.TryAddSingleton(sp => new UrlGuard(sp.GetRequiredService<IUrlPolicy>()));
        services.TryAddSingleton<GuardedHttpClient>();
        services.TryAddSingleton<SafeHttpFetcher>();
        services.TryAddSingleton<EditStatusReader>();

        // Webhooks both ways: signed completion callbacks to users, Runware's result posts to us.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FluxOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton<CallbackUrlCheck>();
        services.TryAddSingleton<DeliveredCallbacks>();
        services.TryAddSingleton<CallbackSender>();
        services.TryAddSingleton<RunwareWebhookTokens>();
        services.TryAddSingleton<RunwareWebhookReceiver>();
        services.AddHttpClient(HealthProbe.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddRunwareClient(configuration);
        foreach (var activity in ActivityTypes)
        {
            services.TryAddTransient(activity);
        }

        return services;
    }

    /// <summary>Registers the orchestrator and activities with a Durable Task worker (self-hosted runner).</summary>
    public static DurableTaskRegistry AddFluxTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator<EditOrchestrator>();
        foreach (var activity in ActivityTypes)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }
}
