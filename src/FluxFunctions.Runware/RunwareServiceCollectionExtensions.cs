using FluxFunctions.Runware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Runware client: options (validated on start), resilience pipelines and the typed HttpClient.</summary>
public static class RunwareServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRunwareClient"/> with options bound from the <c>Runware</c> section of
    /// <paramref name="configuration"/> (environment variables <c>Runware__Name</c>), validated on start.
    /// </summary>
    /// <returns>The HttpClient builder, for extra handlers.</returns>
    public static IHttpClientBuilder AddRunwareClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddRunwareClientCore(services.AddOptions<RunwareOptions>().Bind(configuration.GetSection(RunwareOptions.Section)));
    }

    /// <summary>Registers <see cref="IRunwareClient"/> with options set in code, validated on start.</summary>
    /// <returns>The HttpClient builder, for extra handlers.</returns>
    public static IHttpClientBuilder AddRunwareClient(this IServiceCollection services, Action<RunwareOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddRunwareClientCore(services.AddOptions<RunwareOptions>().Configure(configure));
    }

    private static IHttpClientBuilder AddRunwareClientCore(this IServiceCollection services, OptionsBuilder<RunwareOptions> options)
    {
        options.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunwareOptions>, RunwareOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RetryAfterGate>();

        services.AddResiliencePipeline(RunwareResilience.ApiPipelineKey, static (builder, context) =>
            RunwareResilience.ConfigureApi(builder, Settings(context.ServiceProvider), Logger(context.ServiceProvider)));
        services.AddResiliencePipeline(RunwareResilience.DownloadPipelineKey, static (builder, context) =>
            RunwareResilience.ConfigureDownload(builder, Settings(context.ServiceProvider), Logger(context.ServiceProvider)));

        return services
            .AddHttpClient<IRunwareClient, RunwareClient>(static client => client.Timeout = Timeout.InfiniteTimeSpan) // Polly owns timeouts.
            .RedactLoggedHeaders(static _ => true); // HttpClient logging never shows a header value (the Bearer key).
    }

    private static RunwareOptions Settings(IServiceProvider services) => services.GetRequiredService<IOptions<RunwareOptions>>().Value;

    private static ILogger<RunwareClient> Logger(IServiceProvider services) => services.GetRequiredService<ILogger<RunwareClient>>();
}
