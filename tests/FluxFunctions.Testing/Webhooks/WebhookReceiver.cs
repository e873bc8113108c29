using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FluxFunctions.Testing.Webhooks;

/// <summary>One POST a <see cref="WebhookReceiver"/> received, and what it answered.</summary>
/// <param name="PathAndQuery">As requested, e.g. <c>/hook?token=abc</c>.</param>
/// <param name="Headers">Request headers (names lower-case, values joined by commas).</param>
/// <param name="Body">The body as sent (UTF-8).</param>
/// <param name="Answer">The HTTP status it got.</param>
public sealed record ReceivedPost(string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, int Answer)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// A real HTTP receiver on loopback for webhooks under test (completion callbacks, Runware's result posts): records every
/// POST and answers with the status <c>answer</c> decides from the post and its 1-based number — which may also relay
/// it elsewhere first.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedPost> posts = new();
    private LoopbackServer? server;
    private int count;

    private WebhookReceiver()
    {
    }

    /// <summary>Every post so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedPost> Posts => [.. posts];

    public Uri BaseAddress => server!.BaseAddress;

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    /// <param name="answer">Given the post (its Answer not yet set) and its number, the status to answer with.</param>
    public static async Task<WebhookReceiver> StartAsync(Func<ReceivedPost, int, Task<int>> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var receiver = new WebhookReceiver();
        receiver.server = await LoopbackServer.StartAsync(app => app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            var post = new ReceivedPost(context.Request.Path + context.Request.QueryString, headers, body, 0);
            var status = await answer(post, Interlocked.Increment(ref receiver.count));
            receiver.posts.Enqueue(post with { Answer = status });
            return Results.StatusCode(status);
        }));
        return receiver;
    }

    /// <summary>A receiver that answers every post with <paramref name="status"/>.</summary>
    public static Task<WebhookReceiver> StartAsync(int status = 200) => StartAsync((_, _) => Task.FromResult(status));

    /// <summary>Waits until <paramref name="done"/> holds for the posts so far; the posts, or a timeout.</summary>
    public async Task<IReadOnlyList<ReceivedPost>> WaitForAsync(Func<IReadOnlyList<ReceivedPost>, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var now = Posts;
            if (done(now))
            {
                return now;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout} for {what}; received {now.Count} post(s): {string.Join(" | ", now.Select(p => $"{p.PathAndQuery} → {p.Answer}"))}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
