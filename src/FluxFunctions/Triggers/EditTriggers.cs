using FluxFunctions.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FluxFunctions.Functions.Triggers;

/// <summary>The edit routes of SPEC §3: one-line wrappers over the handlers the runner maps too.</summary>
public sealed class EditTriggers(EditsApi api)
{
    /// <summary><c>POST /api/edits</c>.</summary>
    [Function(nameof(CreateEdit))]
    public async Task<IActionResult> CreateEdit(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Edits)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new ResultActionResult(await api.CreateAsync(request, client, cancellationToken).ConfigureAwait(false));

    /// <summary><c>GET /api/edits/{id}</c>.</summary>
    [Function(nameof(GetEdit))]
    public async Task<IActionResult> GetEdit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Edit)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new ResultActionResult(await api.GetAsync(request, id, client, cancellationToken).ConfigureAwait(false));

    /// <summary><c>GET /api/edits/{id}/outputs/{index}</c>.</summary>
    [Function(nameof(GetEditOutput))]
    public async Task<IActionResult> GetEditOutput(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.EditOutput)] HttpRequest request,
        string id,
        int index,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new ResultActionResult(await api.GetOutputAsync(request, id, index, client, cancellationToken).ConfigureAwait(false));

    /// <summary><c>DELETE /api/edits/{id}</c>.</summary>
    [Function(nameof(CancelEdit))]
    public async Task<IActionResult> CancelEdit(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Edit)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new ResultActionResult(await api.CancelAsync(request, id, client, cancellationToken).ConfigureAwait(false));
}
