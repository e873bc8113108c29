using FluxFunctions.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FluxFunctions.Functions.Triggers;

/// <summary>
/// <c>POST /api/runware/webhook/{id}</c>: Runware's result posts. Anonymous because Runware cannot send a function key;
/// the per-job token in the query authenticates each post (checked by the shared handler the runner maps too).
/// </summary>
public sealed class RunwareWebhookTrigger(RunwareWebhookApi api)
{
    [Function(nameof(RunwareWebhook))]
    public async Task<IActionResult> RunwareWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RunwareWebhook)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new ResultActionResult(await api.ReceiveAsync(request, id, client, cancellationToken).ConfigureAwait(false));
}
