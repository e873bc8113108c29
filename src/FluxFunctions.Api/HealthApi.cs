using FluxFunctions.Core.Health;
using Microsoft.AspNetCore.Http;

namespace FluxFunctions.Api;

/// <summary><c>GET /api/health</c>: storage and Runware reachability, no secrets. 200 when both answer, else 503.</summary>
public sealed class HealthApi(HealthProbe probe)
{
    public async Task<IResult> GetAsync(CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken).ConfigureAwait(false);
        return Results.Json(report, ApiJson.Options, statusCode: report.Status == "healthy" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
