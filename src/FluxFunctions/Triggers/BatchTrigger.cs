using FluxFunctions.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FluxFunctions.Functions.Triggers;

/// <summary><c>GET /api/batches/{tool}/{path}</c>: a one-line wrapper over the handler the runner maps too.</summary>
public sealed class BatchTrigger(BatchStatusApi api)
{
    /// <summary><c>GET /api/batches/{tool}/{path}</c>.</summary>
    [Function(nameof(GetBatch))]
    public async Task<IActionResult> GetBatch(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Batch)] HttpRequest request,
        string tool,
        string? path,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new ResultActionResult(await api.GetAsync(request, tool, path, client, cancellationToken).ConfigureAwait(false));
}
