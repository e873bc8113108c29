using FluxFunctions.Core.Storage;

namespace FluxFunctions.Host.Http;

/// <summary>The runner's HTTP endpoints.</summary>
public static class RunnerApi
{
    public static WebApplication MapRunnerApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/health", async (FluxStorage storage, CancellationToken ct) =>
        {
            try
            {
                await storage.Inputs.ExistsAsync(ct).ConfigureAwait(false);
                return Results.Ok(new { status = "healthy", storage = "ok" });
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                return Results.Json(new { status = "unhealthy", storage = "unreachable" }, statusCode: 503);
            }
        });
        return app;
    }
}
