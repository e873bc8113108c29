using System.Diagnostics;

namespace FluxFunctions.Runner.Http;

/// <summary>
/// One log line per API request — method, path, status, duration — without the query string, which may carry the key
/// (<c>?code=</c>). ASP.NET Core's own request-start lines (which include the query) are filtered out in
/// <see cref="RunnerApp"/>.
/// </summary>
public static partial class RequestLogging
{
    /// <summary>The category whose Information lines include the full URL; raised to Warning by the runner.</summary>
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FluxFunctions.Runner.Http.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        return app;
    }

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {Status} in {ElapsedMs:0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs);
}
