using FluxFunctions.Api;

namespace FluxFunctions.Runner.Http;

/// <summary>
/// The runner's stand-in for <c>AuthorizationLevel.Function</c>: a request needs a configured key in the
/// <c>x-functions-key</c> header or the <c>code</c> query parameter, else 401 problem+json. The key is never echoed or logged.
/// </summary>
public sealed class ApiKeyFilter(ApiKeyVerifier verifier) : IEndpointFilter
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.HttpContext.Request;
        var header = request.Headers[HeaderName];
        var presented = header.Count > 0 ? header[0] : request.Query[QueryName].FirstOrDefault();
        if (!verifier.IsValid(presented))
        {
            return ApiProblems.Unauthorized();
        }

        return await next(context).ConfigureAwait(false);
    }
}
