using Microsoft.AspNetCore.Http;

namespace FluxFunctions.Api;

/// <summary>JSON answers of the API (with <see cref="ApiJson.Options"/>), optionally with a Location header.</summary>
public static class ApiResults
{
    public static IResult Json(object value, int status = StatusCodes.Status200OK, string? location = null) =>
        new WithLocation(Results.Json(value, ApiJson.Options, statusCode: status), location);

    private sealed class WithLocation(IResult inner, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            return inner.ExecuteAsync(httpContext);
        }
    }
}
