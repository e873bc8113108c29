using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FluxFunctions.Core.Telemetry;

/// <summary>
/// OpenTelemetry tracing for both hosts: the pipeline's stage spans and outgoing HTTP calls (Runware, storage), exported
/// to Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (with Entra ID when
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says <c>Authorization=AAD</c>) and/or by OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Nothing is exported otherwise. Query strings of URLs are not recorded
/// (SAS tokens) and request headers never are (the Runware key).
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Adds the tracing; <paramref name="configure"/> lets a host add its own instrumentation.</summary>
    public static OpenTelemetryBuilder AddFluxTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName, Action<TracerProviderBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(FluxTelemetry.SourceName);
                tracing.AddHttpClientInstrumentation(o => o.RecordException = false);
                configure?.Invoke(tracing);
                if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
                {
                    tracing.AddAzureMonitorTraceExporter(o =>
                    {
                        o.ConnectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
                        if (EntraCredential(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) is { } credential)
                        {
                            o.Credential = credential;
                        }
                    });
                }

                if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    tracing.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary>The identity named by an Application Insights authentication string (<c>Authorization=AAD;ClientId=…</c>).</summary>
    internal static TokenCredential? EntraCredential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString) || !authenticationString.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var clientId = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv[1])
            .FirstOrDefault();
        return clientId is null
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
