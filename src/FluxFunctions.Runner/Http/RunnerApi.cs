using FluxFunctions.Api;
using FluxFunctions.Api.Preprocessing;
using Microsoft.DurableTask.Client;

namespace FluxFunctions.Runner.Http;

/// <summary>
/// The runner's HTTP endpoints: the shared handlers of SPEC §3 under <c>/api</c>, on the same <see cref="ApiRoutes"/> as
/// the Functions triggers, every route behind <see cref="ApiKeyFilter"/> (like <c>AuthorizationLevel.Function</c>) except
/// Runware's webhook, which Runware cannot send a key to (like <c>AuthorizationLevel.Anonymous</c>; its per-job token
/// authenticates it), and the tool list, which the page reads before a key is entered and which holds no secret.
/// </summary>
public static class RunnerApi
{
    public static WebApplication MapRunnerApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/" + ApiRoutes.Prefix).AddEndpointFilter<ApiKeyFilter>();
        api.MapPost(ApiRoutes.Edits, (HttpRequest request, EditsApi edits, DurableTaskClient client, CancellationToken ct) => edits.CreateAsync(request, client, ct));
        api.MapGet(ApiRoutes.Edit, (HttpRequest request, string id, EditsApi edits, DurableTaskClient client, CancellationToken ct) => edits.GetAsync(request, id, client, ct));
        api.MapGet(ApiRoutes.EditOutput, (HttpRequest request, string id, int index, EditsApi edits, DurableTaskClient client, CancellationToken ct) => edits.GetOutputAsync(request, id, index, client, ct));
        api.MapDelete(ApiRoutes.Edit, (HttpRequest request, string id, EditsApi edits, DurableTaskClient client, CancellationToken ct) => edits.CancelAsync(request, id, client, ct));
        api.MapGet(ApiRoutes.Batch, (HttpRequest request, string tool, string? path, BatchStatusApi batches, DurableTaskClient client, CancellationToken ct) => batches.GetAsync(request, tool, path, client, ct));
        api.MapPost(ApiRoutes.Preprocess, (HttpRequest request, string kind, PreprocessApi preprocess, CancellationToken ct) => preprocess.RunAsync(request, kind, ct));
        api.MapGet(ApiRoutes.Health, (HealthApi health, CancellationToken ct) => health.GetAsync(ct));
        app.MapGet($"/{ApiRoutes.Prefix}/{ApiRoutes.Tools}", (ToolsApi tools) => tools.Get());
        app.MapPost($"/{ApiRoutes.Prefix}/{ApiRoutes.RunwareWebhook}", (HttpRequest request, string id, RunwareWebhookApi webhooks, DurableTaskClient client, CancellationToken ct) => webhooks.ReceiveAsync(request, id, client, ct));
        return app;
    }
}
