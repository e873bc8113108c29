using FluxFunctions.Api;
using FluxFunctions.Api.Preprocessing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FluxFunctions.Functions.Triggers;

/// <summary><c>POST /api/preprocess/{canny|depth}</c>.</summary>
public sealed class PreprocessTrigger(PreprocessApi api)
{
    [Function(nameof(Preprocess))]
    public async Task<IActionResult> Preprocess(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Preprocess)] HttpRequest request,
        string kind,
        CancellationToken cancellationToken) =>
        new ResultActionResult(await api.RunAsync(request, kind, cancellationToken).ConfigureAwait(false));
}
