using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using FluxFunctions.Core.Callbacks;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FluxFunctions.Core.Tests.Callbacks;

/// <summary>One signed callback attempt against a real loopback receiver: headers, signature, and what is worth a retry.</summary>
public sealed class CallbackSenderTests : IAsyncLifetime
{
    private const string Secret = "callback-test-secret-0123456789";
    private const string Body = """{"id":"a0123456789abcdef0123456789abcd","status":"completed","note":"ünïcode \"quoted\""}""";
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly ConcurrentQueue<(string Path, Dictionary<string, string> Headers, string Body)> received = new();
    private LoopbackServer server = null!;

    public async Task InitializeAsync()
    {
        server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
                received.Enqueue((context.Request.Path.Value ?? "", headers, body));
                await next(context);
            });
            app.MapPost("/ok", () => Results.Ok());
            app.MapPost("/status/{code:int}", (int code) => Results.StatusCode(code));
            app.MapPost("/busy", (HttpContext c) =>
            {
                c.Response.Headers.RetryAfter = "7";
                return Results.StatusCode(429);
            });
            app.MapPost("/moved", () => Results.Redirect("/ok"));
            app.MapPost("/slow", async (CancellationToken ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return Results.Ok();
            });
        });
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task SendAsync_Receiver200_DeliveredWithSignatureTimestampAndDeliveryId()
    {
        using var http = Client(allowPrivate: true);

        var attempt = await Sender(http).SendAsync(Input("ok", 3));

        Assert.True(attempt.Delivered);
        Assert.Equal(200, attempt.StatusCode);
        var (_, headers, body) = Assert.Single(received);
        Assert.Equal(Body, body);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), headers["x-flux-timestamp"]);
        Assert.Equal("job-1.completed", headers["x-flux-delivery"]);
        Assert.Equal("3", headers["x-flux-attempt"]);
        Assert.StartsWith("application/json", headers["content-type"], StringComparison.Ordinal);

        // Verified the way a receiver does it, without the product's code.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{Now.ToUnixTimeSeconds()}.{body}")));
        Assert.Equal(expected, headers["x-flux-signature"]);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    public async Task SendAsync_ErrorStatus_RetryableOnlyFor408_429And5xx(int status, bool retryable)
    {
        using var http = Client(allowPrivate: true);

        var attempt = await Sender(http).SendAsync(Input($"status/{status}"));

        Assert.False(attempt.Delivered);
        Assert.Equal(retryable, attempt.Retryable);
        Assert.Equal(status, attempt.StatusCode);
        Assert.Equal($"HTTP {status}", attempt.Error);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfter_IsRetryableAndReportsTheDelay()
    {
        using var http = Client(allowPrivate: true);

        var attempt = await Sender(http).SendAsync(Input("busy"));

        Assert.True(attempt.Retryable);
        Assert.Equal(429, attempt.StatusCode);
        Assert.Equal(7, attempt.RetryAfterSeconds);
    }

    [Fact]
    public async Task SendAsync_Redirect_IsNotFollowedAndFinal()
    {
        using var http = Client(allowPrivate: true);

        var attempt = await Sender(http).SendAsync(Input("moved"));

        Assert.False(attempt.Delivered);
        Assert.False(attempt.Retryable);
        Assert.Equal(302, attempt.StatusCode);
        Assert.Equal(["/moved"], received.Select(r => r.Path).ToArray());
    }

    [Fact]
    public async Task SendAsync_NobodyListening_IsRetryable()
    {
        using var http = Client(allowPrivate: true);
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/hook");

        var attempt = await Sender(http).SendAsync(Input("ok") with { Url = closed.ToString() });

        Assert.False(attempt.Delivered);
        Assert.True(attempt.Retryable);
        Assert.Null(attempt.StatusCode);
        Assert.Equal("the connection failed", attempt.Error);
    }

    [Fact]
    public async Task SendAsync_NoAnswerInTime_IsRetryable()
    {
        using var http = Client(allowPrivate: true);

        var attempt = await Sender(http, timeoutSeconds: 1).SendAsync(Input("slow"));

        Assert.True(attempt.Retryable);
        Assert.Contains("no answer within 1 s", attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_LoopbackWithoutPrivateNetworkSetting_IsRefusedBeforeConnecting()
    {
        using var http = Client(allowPrivate: false);

        var attempt = await Sender(http).SendAsync(Input("ok"));

        Assert.False(attempt.Delivered);
        Assert.False(attempt.Retryable);
        Assert.Contains("callbackUrl", attempt.Error, StringComparison.Ordinal);
        Assert.Empty(received);
    }

    [Fact]
    public async Task SendAsync_NoSecretConfigured_IsFinalAndSendsNothing()
    {
        using var http = Client(allowPrivate: true);

        var attempt = await Sender(http, secret: null).SendAsync(Input("ok"));

        Assert.False(attempt.Delivered);
        Assert.False(attempt.Retryable);
        Assert.Empty(received);
    }

    private static GuardedHttpClient Client(bool allowPrivate) => new(new UrlGuard(new NetworkUrlPolicy(allowPrivate)));

    [Fact]
    public async Task SendAsync_DeliveryAlreadyAcknowledgedHere_IsNotPostedAgain()
    {
        using var http = Client(allowPrivate: true);
        var sender = Sender(http);

        var first = await sender.SendAsync(Input("ok"));

        // The same delivery again, as when the durable engine re-runs an activity whose completion it did not record.
        var again = await sender.SendAsync(Input("ok"));
        var retry = await sender.SendAsync(Input("ok", 2));
        var other = await sender.SendAsync(Input("ok") with { DeliveryId = "job-1.started" });

        Assert.True(first.Delivered);
        Assert.True(again.Delivered);
        Assert.True(retry.Delivered);
        Assert.Null(again.StatusCode);
        Assert.True(other.Delivered);
        Assert.Equal(["job-1.completed", "job-1.started"], received.Select(r => r.Headers["x-flux-delivery"]).ToArray());
    }

    [Fact]
    public async Task SendAsync_DeliveryNotAcknowledged_IsPostedAgainOnRetry()
    {
        using var http = Client(allowPrivate: true);
        var sender = Sender(http);

        var failed = await sender.SendAsync(Input("status/503"));
        var retried = await sender.SendAsync(Input("status/503", 2));

        Assert.False(failed.Delivered);
        Assert.False(retried.Delivered);
        Assert.Equal(2, received.Count);
    }

    private static CallbackSender Sender(GuardedHttpClient http, string? secret = Secret, int timeoutSeconds = 30) =>
        new(http, Options.Create(new FluxOptions { WebhookSecret = secret, CallbackTimeoutSeconds = timeoutSeconds }), new FakeTimeProvider(Now), new DeliveredCallbacks(), NullLogger<CallbackSender>.Instance);

    private DeliverCallbackInput Input(string path, int attempt = 1) => new("job-1", server.Url(path).ToString(), "job-1.completed", Body, attempt);
}
