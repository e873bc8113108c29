using System.Text;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace FluxFunctions.Api;

/// <summary>
/// <c>POST /api/runware/webhook/{id}?token=…</c>: where Runware posts inference results when
/// <c>Runware__WebhookBaseUrl</c> is set. Anonymous on both hosts (Runware cannot send a function key): the per-job token
/// is the authentication. 200 when the result reached the waiting job; 401 for a wrong token (forged, another job's,
/// another task's) and for a result no job waits for any more (a replay); 400 for a body that is not a Runware result;
/// 413 above <see cref="RunwareWebhookReceiver.MaxBodyBytes"/>. Rejected posts change nothing.
/// </summary>
public sealed class RunwareWebhookApi(ApiGuard guard, RunwareWebhookReceiver receiver)
{
    public Task<IResult> ReceiveAsync(HttpRequest request, string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        guard.RunAsync(request, async () =>
        {
            ArgumentNullException.ThrowIfNull(client);
            if (request.ContentLength > RunwareWebhookReceiver.MaxBodyBytes)
            {
                return ApiProblems.TooLarge(RunwareWebhookReceiver.MaxBodyBytes);
            }

            var bytes = await RequestBodies.ReadCappedAsync(request.Body, RunwareWebhookReceiver.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return ApiProblems.TooLarge(RunwareWebhookReceiver.MaxBodyBytes);
            }

            var token = request.Query[RunwareWebhookTokens.QueryName];
            var receipt = await receiver.ReceiveAsync(client, id, token.Count == 1 ? token[0] : null, Encoding.UTF8.GetString(bytes), cancellationToken).ConfigureAwait(false);
            return receipt switch
            {
                WebhookReceipt.Accepted => ApiResults.Json(new ReceivedBody(true)),
                WebhookReceipt.Unreadable => ApiProblems.Create(StatusCodes.Status400BadRequest, "Not a Runware result.", "The body must be a Runware task result or error naming one taskUUID."),
                WebhookReceipt.NotAwaited => ApiProblems.Create(StatusCodes.Status401Unauthorized, "Not accepted.", "No job waits for this result (it was already received, or the job has ended)."),
                _ => ApiProblems.Create(StatusCodes.Status401Unauthorized, "Not accepted.", "The webhook token is not valid for this job and task."),
            };
        });

    private sealed record ReceivedBody(bool Received);
}
