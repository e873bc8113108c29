using Azure;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Api;

/// <summary>
/// Runs a handler and turns what it throws into the same problem answers on both hosts: bad input → 400 naming each
/// field, ready problems (413, 415, …) as they are, storage or Runware outages → 503, anything else → 500 without
/// internals (logged with the trace id). Bad input never produces a 500.
/// </summary>
public sealed partial class ApiGuard(IOptions<FluxOptions> options, ILogger<ApiGuard> logger)
{
    /// <summary>The status recorded when the caller hung up before the answer (nginx's 499; nobody receives it).</summary>
    public const int ClientClosedRequest = 499;

    public async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (ProblemException ex)
        {
            return ex.Problem;
        }
        catch (PermanentFluxException ex)
        {
            return ApiProblems.Invalid(ex.Errors);
        }
        catch (BadHttpRequestException ex)
        {
            // Thrown by the server while reading the body (too large, aborted, malformed).
            return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiProblems.TooLarge(options.Value.MaxRequestBytes)
                : ApiProblems.Create(ex.StatusCode, "The request could not be read.");
        }
#pragma warning disable CA1031 // The caller is gone: what the handler threw because of it reaches nobody.
        catch (Exception ex) when (request.HttpContext.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // An OperationCanceledException, or the durable client's RpcException(Cancelled, "Call canceled by the
            // client") on the aborted token: not an error of ours, and no answer can reach the caller.
            LogAbandoned(logger, request.Method, request.Path.Value ?? "", ex.GetType().Name);
            return Results.StatusCode(ClientClosedRequest);
        }
        catch (TransientFluxException ex)
        {
            LogUnavailable(logger, request.Method, request.Path.Value ?? "", ex.GetType().Name, ex.Message);
            return ApiProblems.Unavailable("A service the request needs (Runware or storage) did not answer in time; retry later.");
        }
        catch (RequestFailedException ex)
        {
            LogUnavailable(logger, request.Method, request.Path.Value ?? "", nameof(RequestFailedException), $"storage answered {ex.Status} {ex.ErrorCode}");
            return ApiProblems.Unavailable("Storage did not answer as expected; retry later.");
        }
#pragma warning disable CA1031 // The last line of defence: nothing unexpected may reach the client with its details.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnexpected(logger, ex, request.Method, request.Path.Value ?? "");
            return ApiProblems.Internal();
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unexpected error in {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "{Method} {Path}: the caller hung up ({Type})")]
    private static partial void LogAbandoned(ILogger logger, string method, string path, string type);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {Type} {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string type, string reason);
}
