using FluxFunctions.Api;

namespace FluxFunctions.Host.Http;

/// <summary>The runner's HTTP endpoints: the shared handlers of SPEC §3 under <c>/api</c>.</summary>
public static class RunnerApi
{
    public static WebApplication MapRunnerApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api");
        api.MapGet(ApiRoutes.Health, (HealthApi health, CancellationToken ct) => health.GetAsync(ct));
        return app;
    }
}
