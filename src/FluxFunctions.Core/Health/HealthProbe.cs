using System.Diagnostics;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Storage;
using FluxFunctions.Runware;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Health;

/// <summary>
/// Checks that storage answers and that Runware's endpoint is reachable (any HTTP answer counts; no API call is paid
/// for, no key is sent). Reports no secrets: only the endpoint's host.
/// </summary>
public sealed class HealthProbe(FluxStorage storage, IHttpClientFactory httpClients, IOptions<RunwareOptions> runware)
{
    /// <summary>Name of the HttpClient used for the Runware reachability check.</summary>
    public const string ClientName = "flux-health";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var storageCheck = await Measure(async ct => { await storage.Inputs.ExistsAsync(ct).ConfigureAwait(false); }, cancellationToken).ConfigureAwait(false);
        var runwareCheck = await Measure(
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Head, runware.Value.BaseUrl);
                using var response = await httpClients.CreateClient(ClientName).SendAsync(request, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new HealthReport(
            storageCheck.Ok && runwareCheck.Ok ? "healthy" : "unhealthy",
            storageCheck with { Target = storage.Service.Uri.Host },
            runwareCheck with { Target = runware.Value.BaseUrl.Host });
    }

    private static async Task<HealthCheck> Measure(Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var sw = Stopwatch.StartNew();
        try
        {
            await check(timeout.Token).ConfigureAwait(false);
            return new HealthCheck(true, "", (long)sw.Elapsed.TotalMilliseconds, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? "timed out after 5 s" : ex.GetType().Name;
            return new HealthCheck(false, "", (long)sw.Elapsed.TotalMilliseconds, reason);
        }
    }
}

/// <summary>The answer of <c>GET /api/health</c>.</summary>
public sealed record HealthReport(string Status, HealthCheck Storage, HealthCheck Runware);

/// <summary>One dependency's reachability.</summary>
public sealed record HealthCheck(bool Ok, string Target, long LatencyMs, string? Error);
