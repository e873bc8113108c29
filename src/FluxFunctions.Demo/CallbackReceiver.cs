using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace FluxFunctions.Demo;

/// <summary>
/// What a user's callback endpoint does, on loopback: receives the callbacks of the demo's jobs (progress events and the
/// terminal one), checks each signature the way docs/webhooks.md tells users to (HMAC-SHA256 of "{x-flux-timestamp}.{body}"
/// with the shared secret, constant-time comparison, a fresh timestamp), deduplicates on <c>x-flux-delivery</c>
/// (<c>{jobId}.{event}</c>) and notes a progress event that came after its job's terminal one. Written from the
/// documentation, not from the pipeline's code.
/// </summary>
internal sealed class CallbackReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly byte[] secret;
    private readonly ConcurrentDictionary<string, bool> deliveries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> ended = new(StringComparer.Ordinal);
    private readonly Task loop;
    private int received;
    private int outOfOrder;

    public CallbackReceiver(int port, string secret)
    {
        this.secret = Encoding.UTF8.GetBytes(secret);
        Url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/callbacks/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The URL to give as <c>callbackUrl</c>.</summary>
    public string Url { get; }

    /// <summary>Callback requests received (retries included).</summary>
    public int Received => Volatile.Read(ref received);

    /// <summary>Distinct terminal deliveries (<c>x-flux-delivery</c> <c>{jobId}.completed|failed|canceled</c>) whose signature checked out.</summary>
    public int Authentic => AuthenticOf("completed") + AuthenticOf("failed") + AuthenticOf("canceled");

    /// <summary>Distinct deliveries of <paramref name="callbackEvent"/> whose signature checked out.</summary>
    public int AuthenticOf(string callbackEvent) => deliveries.Count(d => d.Value && EventOf(d.Key) == callbackEvent);

    /// <summary>Progress events that arrived after their job's terminal event (never, by the pipeline's contract).</summary>
    public int OutOfOrder => Volatile.Read(ref outOfOrder);

    /// <summary>Distinct deliveries whose signature did not check out.</summary>
    public int Forged => deliveries.Count(d => !d.Value);

    public void Dispose()
    {
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync: that is how the loop ends.
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            Interlocked.Increment(ref received);
            var delivery = context.Request.Headers["x-flux-delivery"] ?? "(none)";
            var ok = IsAuthentic(context.Request.Headers["x-flux-timestamp"], context.Request.Headers["x-flux-signature"], body.ToArray());
            deliveries.AddOrUpdate(delivery, ok, (_, before) => before || ok);
            if (ok)
            {
                var job = delivery[..Math.Max(0, delivery.LastIndexOf('.'))];
                if (EventOf(delivery) is "completed" or "failed" or "canceled")
                {
                    ended[job] = true;
                }
                else if (ended.ContainsKey(job))
                {
                    Interlocked.Increment(ref outOfOrder);
                }
            }

            context.Response.StatusCode = ok ? 200 : 401;
            context.Response.Close();
        }
    }

    private static string EventOf(string delivery) => delivery[(delivery.LastIndexOf('.') + 1)..];

    private bool IsAuthentic(string? timestamp, string? signature, byte[] body)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) > 300)
        {
            return false;
        }

        var payload = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, payload));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }
}
