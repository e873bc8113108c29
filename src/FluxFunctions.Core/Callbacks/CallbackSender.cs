using System.Globalization;
using System.Net.Mime;
using System.Text;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Callbacks;

/// <summary>
/// Makes one attempt to deliver a completion callback: a POST of the exact body, signed (<see cref="CallbackSignature"/>)
/// with a fresh timestamp, through the SSRF-guarded client (the resolved address is vetted, redirects are not followed),
/// within <c>Flux__CallbackTimeoutSeconds</c>. Never throws for the receiver's behaviour: the answer says whether it was
/// delivered and whether another attempt is worth making (408, 429, 5xx, timeouts and connection errors are; other 4xx,
/// redirects and refused URLs are not). The durable retries and back-off are the orchestration's. A delivery id this host
/// already saw acknowledged is not sent again (<see cref="DeliveredCallbacks"/>).
/// </summary>
public sealed partial class CallbackSender(GuardedHttpClient http, IOptions<FluxOptions> options, TimeProvider time, DeliveredCallbacks delivered, ILogger<CallbackSender> logger)
{
    private const int MaxRetryAfterSeconds = 3600;

    public async Task<CallbackAttempt> SendAsync(DeliverCallbackInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (delivered.Contains(input.DeliveryId))
        {
            LogAlreadyDelivered(logger, input.JobId, input.DeliveryId, input.Attempt);
            return new CallbackAttempt(true, false, null, null, null, time.GetUtcNow());
        }

        var o = options.Value;
        if (!Uri.TryCreate(input.Url, UriKind.Absolute, out var url))
        {
            return Done(input, url, false, false, null, "the callback URL is not a valid absolute URL");
        }

        if (string.IsNullOrWhiteSpace(o.WebhookSecret))
        {
            return Done(input, url, false, false, null, "no Flux__WebhookSecret is configured to sign with");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.CallbackTimeoutSeconds));
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(input.Body, Encoding.UTF8, MediaTypeNames.Application.Json),
        };
        request.Headers.Add(CallbackSignature.SignatureHeader, CallbackSignature.Sign(o.WebhookSecret, timestamp, input.Body));
        request.Headers.Add(CallbackSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(CallbackSignature.DeliveryHeader, input.DeliveryId);
        request.Headers.Add(CallbackSignature.AttemptHeader, input.Attempt.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var response = await http.SendAsync(request, CallbackUrlCheck.Field, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                delivered.Add(input.DeliveryId);
                return Done(input, url, true, false, status, null);
            }

            var retryable = status is 408 or 429 or >= 500;
            var reason = status is >= 300 and < 400 ? $"HTTP {status} (redirects are not followed)" : $"HTTP {status}";
            return Done(input, url, false, retryable, status, reason, RetryAfter(response));
        }
        catch (PermanentFluxException ex)
        {
            // Refused by the SSRF guard: final. A host that did not resolve may resolve later: worth a retry.
            return Done(input, url, false, ex.First.Code == ErrorCodes.DownloadFailed, null, ex.First.Message);
        }
        catch (HttpRequestException ex)
        {
            return Done(input, url, false, true, null, Describe(ex.HttpRequestError));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Done(input, url, false, true, null, $"no answer within {o.CallbackTimeoutSeconds} s");
        }
    }

    private CallbackAttempt Done(DeliverCallbackInput input, Uri? url, bool delivered, bool retryable, int? status, string? error, int? retryAfter = null)
    {
        var shown = url is null ? "(invalid URL)" : UrlGuard.Display(url);
        if (delivered)
        {
            LogDelivered(logger, input.JobId, shown, status ?? 0, input.Attempt);
        }
        else
        {
            LogFailed(logger, input.JobId, shown, input.Attempt, error ?? "", retryable);
        }

        return new CallbackAttempt(delivered, retryable, status, error, retryAfter, time.GetUtcNow());
    }

    private int? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        double? seconds = header?.Delta?.TotalSeconds ?? (header?.Date is { } date ? (date - time.GetUtcNow()).TotalSeconds : null);
        return seconds is { } s ? (int)Math.Clamp(Math.Ceiling(s), 0, MaxRetryAfterSeconds) : null;
    }

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "the host name did not resolve",
        HttpRequestError.ConnectionError => "the connection failed",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded => "the receiver closed the connection early",
        HttpRequestError.InvalidResponse => "the receiver sent an invalid HTTP answer",
        _ => "network error",
    };

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Job {JobId}: callback to {Url} delivered (HTTP {Status}, attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string jobId, string url, int status, int attempt);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Job {JobId}: callback {DeliveryId} was already delivered from this host; attempt {Attempt} not sent")]
    private static partial void LogAlreadyDelivered(ILogger logger, string jobId, string deliveryId, int attempt);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Job {JobId}: callback to {Url} attempt {Attempt} failed: {Reason} (retryable: {Retryable})")]
    private static partial void LogFailed(ILogger logger, string jobId, string url, int attempt, string reason, bool retryable);
}
