using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Tests.Runware;

/// <summary>What the stub answers to one request.</summary>
internal sealed record StubReply(int Status, string Body = "", TimeSpan Delay = default)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string ContentType { get; init; } = "application/json";

    /// <summary>Raw bytes instead of <see cref="Body"/>.</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>Send <see cref="Bytes"/> without Content-Length (chunked).</summary>
    public bool Chunked { get; init; }

    public static StubReply Json(int status, string body) => new(status, body);

    public static StubReply Data(params string[] entries) => new(200, $"{{\"data\":[{string.Join(',', entries)}]}}");

    public static StubReply Errors(int status, params string[] errors) => new(status, $"{{\"errors\":[{string.Join(',', errors)}]}}");

    public static StubReply Hang(TimeSpan delay) => new(200, "{\"data\":[]}", delay);
}

/// <summary>A request the stub received.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonArray? Tasks => JsonNode.Parse(Body) as JsonArray;

    public JsonObject? Task => Tasks?[0] as JsonObject;

    public string? TaskType => (string?)Task?["taskType"];

    public string? TaskUuid => (string?)Task?["taskUUID"];

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// A scriptable Runware stand-in on 127.0.0.1 (a free port): each request is recorded and answered by
/// <see cref="Handler"/> (status, body, headers, delay). Real Kestrel, real HTTP.
/// </summary>
internal sealed class StubRunwareServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _inFlight;
    private int _maxInFlight;

    private StubRunwareServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    public Uri Root { get; }

    public Uri BaseUrl => new(Root, "/v1");

    /// <summary>Answers each request; defaults to an empty success.</summary>
    public Func<RecordedRequest, StubReply> Handler { get; set; } = _ => StubReply.Data();

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public IReadOnlyList<RecordedRequest> OfType(string taskType) => [.. _requests.Where(r => r.TaskType == taskType)];

    /// <summary>Answers the replies in order; after the last one, repeats it.</summary>
    public void Sequence(params StubReply[] replies)
    {
        var next = -1;
        Handler = _ => replies[Math.Min(Interlocked.Increment(ref next), replies.Length - 1)];
    }

    public static async Task<StubRunwareServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StubRunwareServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        server = new StubRunwareServer(app, new Uri(app.Urls.First()));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            InterlockedMax(ref _maxInFlight, inFlight);
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var request = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body);
            _requests.Enqueue(request);

            var reply = Handler(request);
            if (reply.Delay > TimeSpan.Zero)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
                try
                {
                    await Task.Delay(reply.Delay, linked.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            foreach (var (name, value) in reply.Headers)
            {
                context.Response.Headers[name] = value;
            }

            var bytes = reply.Bytes ?? Encoding.UTF8.GetBytes(reply.Body);
            if (reply.Chunked)
            {
                for (var i = 0; i < bytes.Length; i += 1024)
                {
                    await context.Response.Body.WriteAsync(bytes.AsMemory(i, Math.Min(1024, bytes.Length - i)), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            else
            {
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
