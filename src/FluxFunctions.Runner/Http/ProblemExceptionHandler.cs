using FluxFunctions.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace FluxFunctions.Runner.Http;

/// <summary>
/// The runner's last line of defence: anything a handler did not turn into an answer becomes a problem+json without
/// internals (413 for bodies over the limit, 400 for unreadable requests, 500 otherwise, logged with its trace id).
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        IResult problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiProblems.Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.")
                : ApiProblems.Create(bad.StatusCode, "The request could not be read.");
        }
        else
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "");
            problem = ApiProblems.Internal();
        }

        await problem.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
