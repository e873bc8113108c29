using FluxFunctions.Errors;
using FluxFunctions.Runware;
using FluxFunctions.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FluxFunctions.Core.Tests.Runware;

public sealed class RunwareClientResilienceTests
{
    private const int RetryingEventId = 1102;

    [Fact]
    public async Task UploadImageAsync_429WithRetryAfter_WaitsExactlyRetryAfterThenRetries()
    {
        var time = new FakeTimeProvider();
        await using var h = await RunwareHarness.StartAsync(o => o.RetryBaseDelayMs = 1, time);
        var arrivals = new List<DateTimeOffset>();
        h.Server.Handler = RateLimitedOnce(time, arrivals, r => StubReply.Data(Entries.Upload(r.TaskUuid)));

        var call = h.Client.UploadImageAsync("aGVsbG8=");
        var retry = await h.Logs.WaitForAsync(RetryingEventId);

        Assert.Equal(7000L, retry.State["DelayMs"]);
        Assert.Equal("rateLimitExceeded", retry.State["Code"]);
        Assert.Single(h.Server.Requests); // the fake clock stands still, so the retry is still waiting
        for (var i = 0; i < 500 && !call.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(call, Task.Delay(20));
        }

        await call;
        Assert.Equal(2, arrivals.Count);
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromSeconds(7), $"retried after {arrivals[1] - arrivals[0]} of fake time");
    }

    [Fact]
    public async Task GetResponseAsync_429WithRetryAfter_AnotherCallerPollingTheSameTaskWaitsToo()
    {
        const string task = "0b6f3a52-9c3e-4d7a-8e21-5f4b3c2d1e0f";
        var time = new FakeTimeProvider();
        await using var h = await RunwareHarness.StartAsync(o => o.RetryBaseDelayMs = 1, time);
        var arrivals = new List<DateTimeOffset>();
        h.Server.Handler = RateLimitedOnce(time, arrivals, _ => StubReply.Data(Entries.Processing(task)));

        // The first poll is refused for 7 s; a second poll of the same task (the watcher, a durable poll) comes meanwhile.
        var first = h.Client.GetResponseAsync(task);
        await h.Logs.WaitForAsync(RetryingEventId);
        var second = h.Client.GetResponseAsync(task);
        await Task.WhenAny(second, Task.Delay(300));
        var sentWhileHeld = h.Server.Requests.Count;

        for (var i = 0; i < 500 && !(first.IsCompleted && second.IsCompleted); i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(Task.WhenAll(first, second), Task.Delay(20));
        }

        await Task.WhenAll(first, second);
        Assert.Equal(1, sentWhileHeld);
        Assert.Equal(3, arrivals.Count);
        Assert.All(arrivals.Skip(1), a => Assert.True(a - arrivals[0] >= TimeSpan.FromSeconds(7), $"polled {a - arrivals[0]} after the 429"));
    }

    [Fact]
    public async Task UploadImageAsync_RetryAfterBeyondTheTotalBudget_FailsAtOnceCarryingRetryAfter()
    {
        await using var h = await RunwareHarness.StartAsync(o => o.TotalTimeoutSeconds = 30);
        h.Server.Handler = _ => RateLimited("120");

        var ex = await Assert.ThrowsAsync<RunwareTransientException>(() => h.Client.UploadImageAsync("aGVsbG8="));

        Assert.Single(h.Server.Requests);
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
    }

    [Fact]
    public async Task UploadImageAsync_ServerErrorThenSuccess_Retries()
    {
        await using var h = await RunwareHarness.StartAsync();
        var calls = 0;
        h.Server.Handler = r => Interlocked.Increment(ref calls) == 1
            ? StubReply.Errors(500, Entries.Error("internalServerError", "Boom."))
            : StubReply.Data(Entries.Upload(r.TaskUuid, "img-after-500"));

        Assert.Equal("img-after-500", await h.Client.UploadImageAsync("aGVsbG8="));
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Fact]
    public async Task UploadImageAsync_PersistentServerError_ThrowsTransientAfterMaxRetries()
    {
        await using var h = await RunwareHarness.StartAsync(o => o.MaxRetries = 2);
        h.Server.Handler = _ => StubReply.Errors(503, Entries.Error("serviceUnavailable", "Down for maintenance."));

        var ex = await Assert.ThrowsAsync<RunwareTransientException>(() => h.Client.UploadImageAsync("aGVsbG8="));

        Assert.Equal(3, h.Server.Requests.Count);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal("serviceUnavailable", ex.Code);
        Assert.IsAssignableFrom<TransientFluxException>(ex);
    }

    [Fact]
    public async Task UploadImageAsync_MalformedJson_Retries()
    {
        await using var h = await RunwareHarness.StartAsync();
        var calls = 0;
        h.Server.Handler = r => Interlocked.Increment(ref calls) == 1
            ? StubReply.Json(200, "{\"data\":[{\"taskType\":\"imag")
            : StubReply.Data(Entries.Upload(r.TaskUuid, "img-after-garbage"));

        Assert.Equal("img-after-garbage", await h.Client.UploadImageAsync("aGVsbG8="));
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Equal(RunwareErrorCodes.MalformedResponse, (await h.Logs.WaitForAsync(RetryingEventId)).State["Code"]);
    }

    [Fact]
    public async Task UploadImageAsync_HangingServer_AttemptTimesOutAndRetries()
    {
        await using var h = await RunwareHarness.StartAsync(o => o.AttemptTimeoutSeconds = 1);
        var calls = 0;
        h.Server.Handler = r => Interlocked.Increment(ref calls) == 1
            ? StubReply.Hang(TimeSpan.FromSeconds(60))
            : StubReply.Data(Entries.Upload(r.TaskUuid, "img-after-hang"));

        Assert.Equal("img-after-hang", await h.Client.UploadImageAsync("aGVsbG8="));
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Equal(RunwareErrorCodes.Timeout, (await h.Logs.WaitForAsync(RetryingEventId)).State["Code"]);
    }

    [Fact]
    public async Task UploadImageAsync_NobodyListening_ThrowsTransientConnectionFailure()
    {
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/v1");
        await using var h = await RunwareHarness.StartAsync(o => { o.BaseUrl = closed; o.MaxRetries = 1; });

        var ex = await Assert.ThrowsAsync<RunwareTransientException>(() => h.Client.UploadImageAsync("aGVsbG8="));

        Assert.Equal(RunwareErrorCodes.ConnectionFailed, ex.Code);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task CircuitBreaker_RepeatedFailures_OpensFailsFastAndClosesAfterTheBreak()
    {
        var time = new FakeTimeProvider();
        await using var h = await RunwareHarness.StartAsync(
            o =>
            {
                o.MaxRetries = 0;
                o.BreakerMinimumThroughput = 2;
                o.BreakerFailureRatio = 0.5;
                o.BreakerSamplingSeconds = 30;
                o.BreakerBreakSeconds = 15;
            },
            time);
        var healthy = false;
        h.Server.Handler = r => Volatile.Read(ref healthy)
            ? StubReply.Data(Entries.Upload(r.TaskUuid))
            : StubReply.Errors(500, Entries.Error("internalServerError", "Boom."));

        await Assert.ThrowsAsync<RunwareTransientException>(() => h.Client.UploadImageAsync("aGVsbG8="));
        await Assert.ThrowsAsync<RunwareTransientException>(() => h.Client.UploadImageAsync("aGVsbG8="));
        var open = await Assert.ThrowsAsync<RunwareTransientException>(() => h.Client.UploadImageAsync("aGVsbG8="));

        Assert.Equal(2, h.Server.Requests.Count); // the third call never reached the server
        Assert.Equal(RunwareErrorCodes.Unavailable, open.Code);
        Assert.Contains("Runware is unavailable", open.Message, StringComparison.Ordinal);
        Assert.NotEmpty(h.Logs.WithEventId(1110));

        Volatile.Write(ref healthy, true);
        time.Advance(TimeSpan.FromSeconds(15));
        await h.Client.UploadImageAsync("aGVsbG8=");
        await h.Client.UploadImageAsync("aGVsbG8=");

        Assert.Equal(4, h.Server.Requests.Count);
        Assert.NotEmpty(h.Logs.WithEventId(1112));
    }

    [Fact]
    public async Task CircuitBreaker_ValidationErrors_DoNotOpenIt()
    {
        await using var h = await RunwareHarness.StartAsync(o => { o.MaxRetries = 0; o.BreakerMinimumThroughput = 2; });
        h.Server.Handler = _ => StubReply.Errors(400, Entries.Error("invalidParameter", "Bad.", "image"));

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.UploadImageAsync("aGVsbG8="));
        }

        Assert.Equal(4, h.Server.Requests.Count);
    }

    [Fact]
    public async Task CircuitBreaker_RateLimited_DoesNotOpenIt()
    {
        await using var h = await RunwareHarness.StartAsync(o => { o.MaxRetries = 0; o.BreakerMinimumThroughput = 2; });
        h.Server.Handler = _ => StubReply.Errors(429, Entries.Error("tooManyRequests", "Slow down."));

        for (var i = 0; i < 4; i++)
        {
            var ex = await Assert.ThrowsAsync<RunwareTransientException>(() => h.Client.UploadImageAsync("aGVsbG8="));
            Assert.Equal(429, ex.StatusCode);
        }

        Assert.Equal(4, h.Server.Requests.Count); // every call reached Runware: the circuit stayed closed
        Assert.Empty(h.Logs.WithEventId(1110));
    }

    [Fact]
    public async Task MaxConcurrentRequests_One_ServerNeverSeesTwoAtOnce()
    {
        await using var h = await RunwareHarness.StartAsync(o => o.MaxConcurrentRequests = 1);
        h.Server.Handler = r => StubReply.Data(Entries.Upload(r.TaskUuid)) with { Delay = TimeSpan.FromMilliseconds(50) };

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => h.Client.UploadImageAsync("aGVsbG8=")));

        Assert.Equal(4, h.Server.Requests.Count);
        Assert.Equal(1, h.Server.MaxInFlight);
    }

    /// <summary>A 429 <c>rateLimitExceeded</c> asking to come back after <paramref name="retryAfter"/> seconds.</summary>
    private static StubReply RateLimited(string retryAfter) =>
        StubReply.Errors(429, Entries.Error("rateLimitExceeded", "Slow down.")) with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } };

    /// <summary>Answers the first request <see cref="RateLimited"/> (7 s) and every later one with <paramref name="then"/>, recording when (fake time) each came.</summary>
    private static Func<RecordedRequest, StubReply> RateLimitedOnce(FakeTimeProvider time, List<DateTimeOffset> arrivals, Func<RecordedRequest, StubReply> then) => r =>
    {
        lock (arrivals)
        {
            arrivals.Add(time.GetUtcNow());
            return arrivals.Count == 1 ? RateLimited("7") : then(r);
        }
    };
}
