using FluxFunctions.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FluxFunctions.Functions.Triggers;

/// <summary>
/// <c>GET /api/tools</c>, behind the function key like every route but Runware's webhook. (The runner serves it without
/// a key, because the page it serves reads the tools before a key is entered; the Functions app serves no page.)
/// </summary>
public sealed class ToolsTrigger(ToolsApi api)
{
    [Function(nameof(Tools))]
    public IActionResult Tools(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Tools)] HttpRequest request) =>
        new ResultActionResult(api.Get());
}
