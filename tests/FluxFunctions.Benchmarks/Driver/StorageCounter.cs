using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// A pass-through proxy in front of Azurite's queue and table services that counts every request by kind, so the bench
/// can say how many queue messages and table operations a job costs — counted, not estimated. A runner pointed at it
/// (its <see cref="ConnectionString"/>) works as usual; the counts are reset between batches.
/// </summary>
internal sealed class StorageCounter : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient upstream = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false, AllowAutoRedirect = false });
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> byTarget = new(StringComparer.Ordinal);
    private readonly int queueUpstream;
    private readonly int tableUpstream;

    private StorageCounter(WebApplication app, int queueUpstream, int tableUpstream, int queuePort, int tablePort, string blobEndpoint)
    {
        this.app = app;
        this.queueUpstream = queueUpstream;
        this.tableUpstream = tableUpstream;
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint={blobEndpoint};" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    /// <summary>Azurite's account with the queue and table services behind this proxy (blobs direct).</summary>
    public string ConnectionString { get; }

    /// <summary>Messages put on queues (<c>POST …/messages</c>): each one a durable-engine message.</summary>
    public long MessagesSent => Count("queue POST messages");

    /// <summary>Every request to the queue service (puts, gets, deletes, updates, listings).</summary>
    public long QueueRequests => Total("queue ");

    /// <summary>Every request to the table service.</summary>
    public long TableRequests => Total("table ");

    /// <summary>The counts by kind, for the details line.</summary>
    public IReadOnlyDictionary<string, long> Counts => new Dictionary<string, long>(counts);

    /// <summary>
    /// The counts by what was asked: each table by name (<c>$batch</c>: an entity group transaction, whose table is in
    /// its body), each queue by name with the partition number of control queues folded (<c>…-control-*</c>).
    /// </summary>
    public IReadOnlyDictionary<string, long> Targets => new Dictionary<string, long>(byTarget);

    public static async Task<StorageCounter> StartAsync(int queueUpstream, int tableUpstream, string blobEndpoint)
    {
        var queuePort = Testing.FreePort.Next();
        var tablePort = Testing.FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, queuePort);
            k.Listen(IPAddress.Loopback, tablePort);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var counter = new StorageCounter(app, queueUpstream, tableUpstream, queuePort, tablePort, blobEndpoint);
        app.Run(context => counter.ForwardAsync(context, context.Connection.LocalPort == queuePort));
        await app.StartAsync();
        return counter;
    }

    public void Reset()
    {
        counts.Clear();
        byTarget.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        upstream.Dispose();
    }

    private long Count(string key) => counts.GetValueOrDefault(key);

    private long Total(string prefix) => counts.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);

    private async Task ForwardAsync(HttpContext context, bool queue)
    {
        var request = context.Request;
        counts.AddOrUpdate(Kind(queue, request), 1, (_, n) => n + 1);
        byTarget.AddOrUpdate(Target(queue, request), 1, (_, n) => n + 1);
        var target = new UriBuilder("http", "127.0.0.1", queue ? queueUpstream : tableUpstream) { Path = request.Path, Query = request.QueryString.Value }.Uri;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>"queue POST messages", "queue GET messages", "queue DELETE messages", "table POST", … by method and target.</summary>
    private static string Kind(bool queue, HttpRequest request)
    {
        if (!queue)
        {
            return "table " + request.Method;
        }

        var path = request.Path.Value ?? "";
        var target = path.Contains("/messages", StringComparison.Ordinal) ? "messages" : "queue";
        return $"queue {request.Method} {target}";
    }

    /// <summary>"table benchcountHistory", "table $batch", "queue benchcount-control-*", "queue benchcount-workitems".</summary>
    private static string Target(bool queue, HttpRequest request)
    {
        // Paths are /{account}/{table}(keys) or /{account}/{queue}/messages[/{id}].
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments.Length > 1 ? segments[1] : "(account)";
        if (!queue)
        {
            var paren = name.IndexOf('(', StringComparison.Ordinal);
            return "table " + (paren >= 0 ? name[..paren] : name);
        }

        var control = name.LastIndexOf("-control-", StringComparison.Ordinal);
        return "queue " + (control >= 0 ? name[..(control + "-control-".Length)] + "*" : name);
    }
}
