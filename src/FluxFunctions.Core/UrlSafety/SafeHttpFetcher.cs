using System.Net;
using System.Net.Http.Headers;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Errors;
using FluxFunctions.Runware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.UrlSafety;

/// <summary>
/// Downloads an image a user pointed to by URL, safely: each hop (at most <see cref="MaxRedirects"/> redirects, followed
/// by hand) passes the <see cref="UrlGuard"/> and connects only to the vetted address; the body is streamed with a hard
/// size cap; the whole download has one time limit; the answer must be an image. Every refusal is a
/// <see cref="PermanentFluxException"/> naming the field (<c>unsafeUrl</c>, <c>downloadFailed</c>,
/// <c>payloadTooLarge</c>, <c>notAnImage</c>).
/// </summary>
public sealed partial class SafeHttpFetcher(GuardedHttpClient http, IOptions<FluxOptions> options, ILogger<SafeHttpFetcher> logger)
{
    /// <summary>Redirects followed before giving up.</summary>
    public const int MaxRedirects = 5;

    private static readonly HashSet<string> BinaryTypes = new(StringComparer.OrdinalIgnoreCase) { "application/octet-stream", "binary/octet-stream" };

    /// <summary>Fetches <paramref name="url"/>, refusing more than <paramref name="maxBytes"/> bytes.</summary>
    public async Task<FetchedImage> FetchImageAsync(Uri url, string field, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(field);
        var timeout = TimeSpan.FromSeconds(options.Value.UrlFetchTimeoutSeconds);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/*"));
                using var response = await http.SendAsync(request, field, cts.Token).ConfigureAwait(false);
                if (IsRedirect(response.StatusCode))
                {
                    if (hop >= MaxRedirects)
                    {
                        throw Fail(ErrorCodes.DownloadFailed, $"'{field}' URL {UrlGuard.Display(url)} redirected more than {MaxRedirects} times.", field);
                    }

                    var location = response.Headers.Location ?? throw Fail(ErrorCodes.DownloadFailed, $"'{field}' URL {UrlGuard.Display(current)} answered a redirect without a Location.", field);
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    LogRedirect(logger, field, UrlGuard.Display(current), UrlGuard.Display(next));
                    current = next;
                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw Fail(ErrorCodes.DownloadFailed, $"'{field}' URL {UrlGuard.Display(current)} answered HTTP {(int)response.StatusCode}.", field);
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (mediaType is not null && !mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !BinaryTypes.Contains(mediaType))
                {
                    throw Fail(ErrorCodes.NotAnImage, $"'{field}' URL {UrlGuard.Display(current)} answered {Clip(mediaType)}, not an image.", field);
                }

                if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
                {
                    throw Fail(ErrorCodes.PayloadTooLarge, $"'{field}' URL {UrlGuard.Display(current)} is {length} bytes; the limit is {maxBytes}.", field);
                }

                var data = await ReadCappedAsync(response.Content, maxBytes, cts.Token).ConfigureAwait(false)
                    ?? throw Fail(ErrorCodes.PayloadTooLarge, $"'{field}' URL {UrlGuard.Display(current)} sent more than {maxBytes} bytes.", field);
                return new FetchedImage(data, mediaType, current);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(ErrorCodes.DownloadFailed, $"'{field}' URL {UrlGuard.Display(current)} did not deliver the image within {timeout.TotalSeconds:0} s.", field);
        }
        catch (HttpRequestException ex)
        {
            LogFailed(logger, field, UrlGuard.Display(current), ex.HttpRequestError);
            throw Fail(ErrorCodes.DownloadFailed, $"'{field}' URL {UrlGuard.Display(current)} could not be downloaded ({Describe(ex.HttpRequestError)}).", field);
        }
    }

    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await CappedStream.ReadAsync(stream, maxBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "the host name did not resolve",
        HttpRequestError.ConnectionError => "the connection failed",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded => "the server closed the connection early",
        HttpRequestError.InvalidResponse => "the server sent an invalid HTTP answer",
        HttpRequestError.ConfigurationLimitExceeded => "the server's answer headers were too large",
        _ => "network error",
    };

    private static PermanentFluxException Fail(string code, string message, string field) => new(new FluxError(code, message, field));

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Fetching {Field}: {From} redirects to {To}")]
    private static partial void LogRedirect(ILogger logger, string field, string from, string to);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Fetching {Field} from {Url} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string field, string url, HttpRequestError error);
}

/// <summary>A downloaded image: the bytes, the content type the server declared, and the URL it finally came from.</summary>
public sealed record FetchedImage(byte[] Data, string? ContentType, Uri FinalUrl);
