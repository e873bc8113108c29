using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Errors;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Runware;

/// <summary>
/// One HTTP exchange with Runware's REST endpoint: POSTs a JSON array holding one task, with the Bearer key when one
/// is configured, and sorts the answer. Throws <see cref="RunwareRejectedException"/> for a rejected key and
/// <see cref="RunwareTransientException"/> for 408/429/5xx, broken connections and unreadable answers; returns every
/// other answer (including 4xx validation errors) parsed, for the operation to interpret. No retries here.
/// </summary>
internal sealed class RunwareTransport
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    // The request body is JSON sent over HTTP, never embedded in HTML: the default encoder's HTML-safe escaping would
    // turn every '+' of a base64 image into "\u002B" (6 bytes for 1, about 8% more bytes per imageUpload).
    private static readonly JsonSerializerOptions Wire = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http;
    private readonly RunwareOptions _options;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetryAfterGate _retryAfter;

    public RunwareTransport(HttpClient http, RunwareOptions options, SecretRedactor redactor, TimeProvider time, ILogger logger, RetryAfterGate retryAfter)
    {
        _retryAfter = retryAfter;
        _http = http;
        _options = options;
        _redactor = redactor;
        _time = time;
        _logger = logger;
    }

    public async Task<RunwareAnswer> SendAsync(JsonObject task, CancellationToken cancellationToken)
    {
        var taskType = RunwareAnswerParser.String(task, "taskType") ?? "unknown";
        var taskUuid = RunwareAnswerParser.String(task, "taskUUID") ?? "-";
        await _retryAfter.WaitAsync(taskUuid, cancellationToken).ConfigureAwait(false);
        _logger.RunwareSending(taskType, taskUuid);

        using var request = new HttpRequestMessage(HttpMethod.Post, _options.BaseUrl)
        {
            Content = Body(task),
        };
        request.Headers.Accept.Add(Json);
        if (_options.HasApiKey)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey!.Trim());
        }

        var started = _time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RunwareTransientException(
                $"Could not reach Runware at {Endpoint(_options.BaseUrl)} for the {taskType} task: {_redactor.Redact(ex.Message)}",
                null,
                RunwareErrorCodes.ConnectionFailed,
                ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new RunwareTransientException(
                    $"Runware's answer to the {taskType} task broke off (HTTP {status}): {_redactor.Redact(ex.Message)}",
                    status,
                    RunwareErrorCodes.ConnectionFailed,
                    ex);
            }

            _logger.RunwareAnswered(taskType, taskUuid, status, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return Sort(response, status, body, taskType, taskUuid);
        }
    }

    /// <summary>
    /// The request body: a JSON array holding the task, written once as UTF-8 into a buffer sized up front. A task may
    /// carry an image as a data URI (megabytes of text); serialising it to a string first, then encoding that string,
    /// held three copies of it at once. The JSON writer asks for room for three bytes per character of a string that
    /// needs no escaping, as a data URI never does, so the buffer is sized for that and does not grow for one (a prompt
    /// with characters to escape may grow it: a small copy).
    /// </summary>
    internal static HttpContent Body(JsonObject task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(1024 + Room(task), Array.MaxLength));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Wire.Encoder }))
        {
            writer.WriteStartArray();
            task.WriteTo(writer, Wire);
            writer.WriteEndArray();
        }

        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        return content;
    }

    /// <summary>Room the JSON writer asks for to write a node: three bytes per character of its names and strings, and some for the rest.</summary>
    private static long Room(JsonNode? node) => node switch
    {
        JsonObject o => o.Sum(p => (p.Key.Length * 3L) + 8 + Room(p.Value)),
        JsonArray a => a.Sum(Room) + 8,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (v.GetValue<string>().Length * 3L) + 8,
        _ => 32,
    };

    /// <summary>The endpoint for messages: scheme, host, port and path; never user info or a query.</summary>
    public static string Endpoint(Uri uri) => uri.IsAbsoluteUri ? $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}" : uri.ToString();

    /// <summary>Retry-After as a delay (delta seconds or an HTTP date), when the answer carries one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    public static bool IsTransientStatus(int status) =>
        status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500;

    /// <summary>
    /// HTTP 401, 402 or 403: a problem of the account, not of the task, so permanent (runware.ai/docs/platform/errors lists
    /// the error fields; which code comes with 402 and 403 is not documented, so the status decides). The message says
    /// what to fix; Runware's own code and message are kept when it sent them.
    /// </summary>
    private RunwareError AccountError(int status, string body, string taskType, string taskUuid)
    {
        RunwareError? sent = null;
        try
        {
            sent = RunwareAnswerParser.Parse(status, body, _redactor).Errors.FirstOrDefault()?.Error;
        }
        catch (JsonException)
        {
            // No readable error: the status alone says what is wrong.
        }

        var said = sent is null ? string.Empty : $" Runware said: {sent.Code}: {sent.Message}";
        return status switch
        {
            (int)HttpStatusCode.PaymentRequired => new RunwareError(
                sent?.Code ?? RunwareErrorCodes.InsufficientCredits,
                $"Runware refused the {taskType} task because the account has no credit left (HTTP 402). Add credit to the Runware account; until then every job fails here and none is retried.{said}",
                null,
                taskType,
                taskUuid),
            (int)HttpStatusCode.Forbidden => new RunwareError(
                sent?.Code ?? RunwareErrorCodes.AccessDenied,
                $"Runware refused the {taskType} task: the account or API key may not do this (HTTP 403). Check the account's access to the model and the Runware__ApiKey setting.{said}",
                null,
                taskType,
                taskUuid),
            _ => new RunwareError(
                RunwareErrorCodes.InvalidApiKey,
                $"Runware rejected the API key (HTTP {status}). " + (_options.HasApiKey
                    ? "Check the Runware__ApiKey setting: the configured key is not valid for this endpoint."
                    : "No API key is configured: set the Runware__ApiKey setting."),
                "apiKey",
                taskType,
                taskUuid),
        };
    }

    private RunwareAnswer Sort(HttpResponseMessage response, int status, string body, string taskType, string taskUuid)
    {
        if (status is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.PaymentRequired or (int)HttpStatusCode.Forbidden)
        {
            var error = AccountError(status, body, taskType, taskUuid);
            _logger.RunwareRejected(taskType, taskUuid, status, error.Code, error.Parameter, error.Message);
            throw new RunwareRejectedException([error], status, taskType, taskUuid);
        }

        RunwareAnswer? answer = null;
        try
        {
            answer = RunwareAnswerParser.Parse(status, body, _redactor);
        }
        catch (JsonException) when (status is >= 200 and < 300 || IsTransientStatus(status))
        {
            // A truncated or garbled answer (or a proxy's HTML error page): nothing usable, try again.
        }
        catch (JsonException)
        {
            var error = new RunwareError(
                ErrorCodes.RunwareProtocol,
                $"Runware answered the {taskType} task with HTTP {status} {response.ReasonPhrase} and no readable error; check the Runware__BaseUrl setting ({Endpoint(_options.BaseUrl)}).",
                null,
                taskType,
                taskUuid);
            _logger.RunwareRejected(taskType, taskUuid, status, error.Code, null, error.Message);
            throw new RunwareRejectedException([error], status, taskType, taskUuid);
        }

        if (IsTransientStatus(status))
        {
            var first = answer?.Errors.FirstOrDefault()?.Error;
            var retryAfter = RetryAfter(response, _time);
            if (retryAfter is { } wait)
            {
                _retryAfter.Hold(taskUuid, wait);
            }

            throw new RunwareTransientException(
                $"Runware answered the {taskType} task with HTTP {status}{(first is null ? "" : $" {first.Code}: {first.Message}")}",
                status,
                first?.Code ?? $"http{status}")
            {
                RetryAfter = retryAfter,
            };
        }

        return answer ?? throw new RunwareTransientException(
            $"Runware's answer to the {taskType} task (HTTP {status}) is not the JSON the protocol promises (truncated or malformed).",
            status,
            RunwareErrorCodes.MalformedResponse);
    }
}
