using System.Net;
using FluxFunctions.Errors;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Runware;

/// <summary>
/// One download attempt of a result image: GET without the API key, image content types only, streamed with a hard
/// size cap (refused by Content-Length before reading, and again while reading when there is none). 408, 429, 5xx,
/// broken connections and empty bodies are transient; other failures are permanent.
/// </summary>
internal sealed class ResultDownloader
{
    private readonly HttpClient _http;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ResultDownloader(HttpClient http, SecretRedactor redactor, TimeProvider time, ILogger logger)
    {
        _http = http;
        _redactor = redactor;
        _time = time;
        _logger = logger;
    }

    public async ValueTask<byte[]> DownloadOnceAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("image/*");

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RunwareTransientException($"Could not download the result image from {url.Host}: {_redactor.Redact(ex.Message)}", null, RunwareErrorCodes.ConnectionFailed, ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (RunwareTransport.IsTransientStatus(status))
            {
                throw new RunwareTransientException($"Downloading the result image from {url.Host} failed with HTTP {status}.", status, $"http{status}")
                {
                    RetryAfter = RunwareTransport.RetryAfter(response, _time),
                };
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw Refuse(url, ErrorCodes.DownloadFailed, $"Downloading the result image from {url.Host} failed with HTTP {status}.");
            }

            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (contentType is not null
                && !contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(contentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                throw Refuse(url, ErrorCodes.NotAnImage, $"The result at {url.Host} is '{contentType}', not an image.");
            }

            var declared = response.Content.Headers.ContentLength;
            if (declared > maxBytes)
            {
                throw Refuse(url, ErrorCodes.PayloadTooLarge, $"The result image at {url.Host} is {declared} bytes, over the limit of {maxBytes} bytes.");
            }

            var bytes = await ReadCappedAsync(response, url, maxBytes, declared, cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0)
            {
                throw new RunwareTransientException($"The result image from {url.Host} arrived empty.", status, RunwareErrorCodes.MalformedResponse);
            }

            _logger.RunwareDownloaded(url.Host, bytes.Length, contentType);
            return bytes;
        }
    }

    private async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, Uri url, long maxBytes, long? declared, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await CappedStream.ReadAsync(stream, maxBytes, cancellationToken, declared).ConfigureAwait(false)
                    ?? throw Refuse(url, ErrorCodes.PayloadTooLarge, $"The result image at {url.Host} is over the limit of {maxBytes} bytes.");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new RunwareTransientException($"The download of the result image from {url.Host} broke off: {_redactor.Redact(ex.Message)}", (int)response.StatusCode, RunwareErrorCodes.ConnectionFailed, ex);
        }
    }

    private PermanentFluxException Refuse(Uri url, string code, string message)
    {
        _logger.RunwareDownloadRefused(url.Host, code);
        return new PermanentFluxException(new FluxError(code, message));
    }
}
