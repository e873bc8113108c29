using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Faults;
using FluxFunctions.Emulator.Inspection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// <c>POST /v1</c>: reads and records the request, checks the API key, decides the fault, validates the body as a JSON
/// array of task objects, runs the tasks and answers <c>{"data":[...]}</c> or, when a task is rejected,
/// HTTP 400 <c>{"errors":[...],"data":[...]}</c>.
/// </summary>
internal sealed class ApiEndpoint(
    TaskDispatcher dispatcher,
    FaultInjector faults,
    ApiKeyCheck apiKey,
    RequestRecorder recorder,
    EmulatorStats stats,
    IOptions<EmulatorOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ApiEndpoint> logger)
{
    /// <summary>Status recorded for a request whose client went away before the answer.</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>The truncated body of a <c>malformed</c> fault.</summary>
    public const string MalformedBody = "{\"data\":[{\"taskType\":\"imag";

    private readonly EmulatorOptions settings = options.Value;

    /// <summary>Serves one request.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var seq = recorder.NextSequence();
        var time = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = abort.Token;
        var fault = FaultKind.None;
        byte[] body = [];
        JsonDocument? document = null;
        var aborted = false;
        try
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = settings.MaxRequestBytes;
            }

            body = await ReadBodyAsync(http.Request, settings.MaxRequestBytes, cancellationToken);
            stats.RequestReceived(body.LongLength);
            document = TryParse(body);

            if (!apiKey.IsAuthorized(http.Request, document))
            {
                Log.Unauthorized(logger, seq);
                await ErrorBody.WriteAsync(http.Response, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidApiKey,
                    "Invalid API key. Send it as 'Authorization: Bearer <key>' (the emulator's key is set by Emulator__ApiKey).", cancellationToken);
                return;
            }

            var decision = faults.Decide(http.Request.Headers[FaultInjector.Header].ToString());
            if (decision.InvalidHeader is { } invalid)
            {
                await ErrorBody.WriteAsync(http.Response, StatusCodes.Status400BadRequest, ErrorCodes.InvalidEmulatorFault,
                    $"Unknown {FaultInjector.Header} '{(invalid.Length > 20 ? invalid[..20] : invalid)}'; use one of {FaultNames.Accepted}.", cancellationToken, FaultInjector.Header);
                return;
            }

            fault = decision.Kind;
            if (fault != FaultKind.None)
            {
                stats.FaultInjected(fault);
                Log.FaultInjected(logger, FaultNames.Name(fault), seq);
                if (await AnswerFaultBeforeProcessingAsync(http.Response, fault, cancellationToken))
                {
                    return;
                }
            }

            if (Tasks(document) is not { } tasks)
            {
                await ErrorBody.WriteAsync(http.Response, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequestBody,
                    "The body must be a non-empty JSON array of task objects, e.g. [{\"taskType\":\"imageUpload\",\"taskUUID\":\"...\",\"image\":\"...\"}].", cancellationToken);
                return;
            }

            var outcomes = await dispatcher.RunAsync(tasks, RequestContext.From(http.Request), cancellationToken);
            if (fault == FaultKind.Lost)
            {
                await ErrorBody.WriteAsync(http.Response, StatusCodes.Status502BadGateway, ErrorCodes.BadGateway,
                    "Bad gateway: the answer was lost on the way back (emulated fault 'lost'); the tasks were processed.", cancellationToken);
                return;
            }

            await WriteOutcomesAsync(http.Response, outcomes, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            aborted = true;
            Log.ClientDisconnected(logger, seq);
        }
        catch (BadHttpRequestException ex)
        {
            if (!http.Response.HasStarted)
            {
                var tooLarge = ex.StatusCode == StatusCodes.Status413PayloadTooLarge;
                await ErrorBody.WriteAsync(http.Response, ex.StatusCode, tooLarge ? ErrorCodes.RequestTooLarge : ErrorCodes.InvalidRequestBody,
                    tooLarge ? $"The request body is over the emulator's limit of {settings.MaxRequestBytes} bytes." : "The request body could not be read.",
                    CancellationToken.None);
            }
        }
        finally
        {
            var status = aborted ? ClientClosedRequest : http.Response.StatusCode;
            recorder.Add(new RecordedRequest(
                seq,
                time,
                http.Request.Method,
                http.Request.Path.Value ?? string.Empty,
                status,
                fault == FaultKind.None ? null : FaultNames.Name(fault),
                RequestRecorder.RedactHeaders(http.Request.Headers),
                document is not null ? JsonRedactor.Redact(document.RootElement) : body.Length > 0 ? JsonRedactor.RedactRaw(body) : null));
            document?.Dispose();
            Log.RequestHandled(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, status, body.LongLength,
                FaultNames.Name(fault), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Answers 429, 500, hang and malformed faults; returns false for faults that process the tasks (lost).</summary>
    private async Task<bool> AnswerFaultBeforeProcessingAsync(HttpResponse response, FaultKind fault, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case FaultKind.RateLimited:
                response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await ErrorBody.WriteAsync(response, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimitExceeded,
                    $"Too many requests (emulated fault '429'); retry after {settings.RetryAfterSeconds} s.", cancellationToken);
                return true;
            case FaultKind.ServerError:
                await ErrorBody.WriteAsync(response, StatusCodes.Status500InternalServerError, ErrorCodes.InternalServerError,
                    "Internal server error (emulated fault '500'); nothing was processed.", cancellationToken);
                return true;
            case FaultKind.Hang:
                await Task.Delay(settings.HangMs, cancellationToken);
                await ErrorBody.WriteAsync(response, StatusCodes.Status504GatewayTimeout, ErrorCodes.TimeoutProvider,
                    $"No answer within {settings.HangMs} ms (emulated fault 'hang'); nothing was processed.", cancellationToken);
                return true;
            case FaultKind.Malformed:
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json";
                await response.WriteAsync(MalformedBody, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private static async Task WriteOutcomesAsync(HttpResponse response, IReadOnlyList<TaskOutcome> outcomes, CancellationToken cancellationToken)
    {
        var data = new JsonArray();
        var errors = new JsonArray();
        var rejected = false;
        foreach (var outcome in outcomes)
        {
            foreach (var entry in outcome.Data)
            {
                data.Add(entry);
            }

            foreach (var error in outcome.Errors)
            {
                errors.Add(error.ToJson());
            }

            rejected |= outcome.Rejected;
        }

        var answer = new JsonObject();
        if (errors.Count > 0)
        {
            answer["errors"] = errors;
        }

        answer["data"] = data;
        response.StatusCode = rejected ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await response.WriteAsync(answer.ToJsonString(JsonOutput.Options), cancellationToken);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        // Capacity from Content-Length, but never beyond the limit (Kestrel enforces the limit while reading).
        using var buffer = new MemoryStream((int)Math.Clamp(request.ContentLength ?? 4096, 0, Math.Min(maxBytes, 64L << 20)));
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static JsonDocument? TryParse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The task objects, or null when the body is not a non-empty JSON array of objects.</summary>
    private static List<JsonElement>? Tasks(JsonDocument? document)
    {
        if (document?.RootElement is not { ValueKind: JsonValueKind.Array } root || root.GetArrayLength() == 0)
        {
            return null;
        }

        var tasks = new List<JsonElement>(root.GetArrayLength());
        foreach (var task in root.EnumerateArray())
        {
            if (task.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            tasks.Add(task);
        }

        return tasks;
    }
}
