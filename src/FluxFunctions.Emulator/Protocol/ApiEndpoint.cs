using System.Diagnostics;
using System.Text.Json;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Faults;
using FluxFunctions.Emulator.Inspection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// <c>POST /v1</c>: reads and records the request, checks the API key, decides the fault, validates the body as a JSON
/// array of task objects, runs the tasks and answers <c>{"data":[...]}</c> or, when a task is rejected,
/// <c>{"errors":[...],"data":[...]}</c> with the rejection's status (see <see cref="AnswerWriter"/>).
/// </summary>
internal sealed class ApiEndpoint(
    TaskDispatcher dispatcher,
    FaultInjector faults,
    FaultResponder faultResponder,
    ApiKeyCheck apiKey,
    RequestRecorder recorder,
    EmulatorStats stats,
    IOptions<EmulatorOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ApiEndpoint> logger)
{
    /// <summary>Status recorded for a request whose client went away before the answer.</summary>
    public const int ClientClosedRequest = 499;

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

            fault = decision.Kind == FaultKind.Forget && !ForgetFault.AppliesTo(document) ? FaultKind.None : decision.Kind;
            if (fault != FaultKind.None)
            {
                stats.FaultInjected(fault);
                Log.FaultInjected(logger, FaultNames.Name(fault), seq);
                if (await faultResponder.TryAnswerAsync(http.Response, fault, cancellationToken))
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

            var outcomes = await dispatcher.RunAsync(tasks, RequestContext.From(http.Request, fault == FaultKind.Forget), cancellationToken);
            if (fault == FaultKind.Lost)
            {
                await ErrorBody.WriteAsync(http.Response, StatusCodes.Status502BadGateway, ErrorCodes.BadGateway,
                    "Bad gateway: the answer was lost on the way back (emulated fault 'lost'); the tasks were processed.", cancellationToken);
                return;
            }

            await AnswerWriter.WriteAsync(http.Response, outcomes, cancellationToken);
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
