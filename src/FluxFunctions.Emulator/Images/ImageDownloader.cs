using System.Net.Http.Headers;
using FluxFunctions.Emulator.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// Downloads an image given by http(s) URL (how Runware reads SAS URLs), with a timeout and a size limit.
/// Messages name the URL without its query string (a SAS token is a secret).
/// </summary>
internal sealed class ImageDownloader(IHttpClientFactory clients, IOptions<EmulatorOptions> options)
{
    /// <summary>The named HTTP client used for downloads.</summary>
    public const string ClientName = "FluxFunctions.Emulator.Downloads";

    private readonly long maxBytes = options.Value.MaxDownloadBytes;
    private readonly TimeSpan timeout = TimeSpan.FromSeconds(options.Value.DownloadTimeoutSeconds);

    /// <summary>Downloads the bytes, or returns the reason it failed.</summary>
    public async Task<(byte[]? Bytes, string? Problem)> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var shown = Redact(url);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            var client = clients.CreateClient(ClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/*"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"could not be downloaded from {shown}: HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
            {
                return (null, $"at {shown} is {length} bytes, over the {maxBytes}-byte download limit");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeoutSource.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeoutSource.Token)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, $"at {shown} is over the {maxBytes}-byte download limit");
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"could not be downloaded from {shown}: no answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return (null, $"could not be downloaded from {shown}: {ex.HttpRequestError}");
        }
    }

    /// <summary>The URL without query or fragment.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.GetLeftPart(UriPartial.Path) + (string.IsNullOrEmpty(url.Query) ? string.Empty : "?…");
    }
}
