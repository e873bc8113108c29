using FluxFunctions.Api.Preprocessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FluxFunctions.Api;

/// <summary>Registers the HTTP API handlers shared by both hosts.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddFluxApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ApiGuard>();
        services.TryAddSingleton<HealthApi>();
        services.TryAddSingleton<ToolsApi>();
        services.TryAddSingleton<ImageInputLoader>();
        services.TryAddSingleton<EditAdmission>();
        services.TryAddSingleton<JobInputStore>();
        services.TryAddSingleton<EditsApi>();
        services.TryAddSingleton<BatchStatusReader>();
        services.TryAddSingleton<BatchStatusApi>();
        services.TryAddSingleton<PreprocessApi>();
        services.TryAddSingleton<RunwareWebhookApi>();
        return services;
    }
}
