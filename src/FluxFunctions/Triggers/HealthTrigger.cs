using FluxFunctions.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FluxFunctions.Functions.Triggers;

/// <summary><c>GET /api/health</c>.</summary>
public sealed class HealthTrigger(HealthApi api)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        new ResultActionResult(await api.GetAsync(cancellationToken).ConfigureAwait(false));
}
