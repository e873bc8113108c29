using System.Collections.Concurrent;
using System.Net;
using FluxFunctions.Testing;

namespace FluxFunctions.Emulator.Tests.Support;

/// <summary>A tiny HTTP server on a free loopback port (image host for SAS-like URLs, webhook receiver).</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerRequest, byte[], (int Status, byte[] Body, string ContentType)> respond;
    private readonly Task loop;

    public LoopbackServer(Func<HttpListenerRequest, byte[], (int Status, byte[] Body, string ContentType)> respond)
    {
        this.respond = respond;
        var port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(BaseUrl);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    /// <summary>Every request received: its URL (path and query) and body.</summary>
    public ConcurrentQueue<(string PathAndQuery, string Method, byte[] Body)> Received { get; } = new();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Received.Enqueue((context.Request.Url!.PathAndQuery, context.Request.HttpMethod, body.ToArray()));
            var (status, content, contentType) = respond(context.Request, body.ToArray());
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength64 = content.Length;
            await context.Response.OutputStream.WriteAsync(content);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}
