using System.Net;
using System.Net.Sockets;

namespace FluxFunctions.Core.UrlSafety;

/// <summary>
/// An HTTP client for URLs supplied by users (image sources, completion callbacks). Every request goes through the
/// <see cref="UrlGuard"/> first; the connection is then made by <see cref="SocketsHttpHandler.ConnectCallback"/> to the
/// addresses the guard vetted for that very request — never to a fresh DNS answer — so DNS re-binding cannot swap in a
/// private address. No proxy, no cookies, no automatic redirects (callers follow them hop by hop, re-checking each).
/// </summary>
public sealed class GuardedHttpClient : IDisposable
{
    private static readonly HttpRequestOptionsKey<VettedTarget> VettedKey = new("flux.vetted-target");

    private readonly HttpClient client;

    public GuardedHttpClient(UrlGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        Guard = guard;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxResponseHeadersLength = 64,
            ConnectCallback = ConnectToVettedAsync,
        };
        client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("FluxFunctions/1.0");
    }

    public UrlGuard Guard { get; }

    /// <summary>
    /// Vets the request's URL (scheme, host, every resolved address) and sends it, returning once the headers are read.
    /// Throws <see cref="Errors.PermanentFluxException"/> (<c>unsafeUrl</c>, <c>downloadFailed</c>) naming
    /// <paramref name="field"/> when the URL is refused or its host does not resolve; network failures surface as
    /// <see cref="HttpRequestException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string field, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(field);
        var url = request.RequestUri ?? throw new ArgumentException("The request has no URL.", nameof(request));
        var addresses = await Guard.ResolveAsync(url, field, cancellationToken).ConfigureAwait(false);
        request.Options.Set(VettedKey, new VettedTarget(url.IdnHost, addresses));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => client.Dispose();

    private static async ValueTask<Stream> ConnectToVettedAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(VettedKey, out var target)
            || !string.Equals(target.Host.Trim('[', ']'), context.DnsEndPoint.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpRequestException("Refused to connect: the address was not vetted by the URL guard.");
        }

        SocketException? last = null;
        foreach (var address in target.Addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException($"Could not connect to {context.DnsEndPoint.Host}: {last?.SocketErrorCode.ToString() ?? "no address"}.", last);
    }

    private sealed record VettedTarget(string Host, IPAddress[] Addresses);
}
