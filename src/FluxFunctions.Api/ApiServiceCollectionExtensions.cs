using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FluxFunctions.Api;

/// <summary>Registers the HTTP API handlers shared by both hosts.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddFluxApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<HealthApi>();
        return services;
    }
}
