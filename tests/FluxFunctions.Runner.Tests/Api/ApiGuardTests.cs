using FluxFunctions.Api;
using FluxFunctions.Core.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary>What the guard answers and logs when the caller hangs up, and when it does not.</summary>
public sealed class ApiGuardTests
{
    [Fact]
    public async Task Aborted_HandlerThrowsAnything_Is499AndNoErrorLogged()
    {
        var log = new RecordingLogger();
        var guard = new ApiGuard(Options.Create(new FluxOptions()), log);
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var request = Request(aborted.Token);

        // The durable client throws RpcException(Cancelled) on the aborted token; any type stands for it here.
        var result = await guard.RunAsync(request, () => throw new InvalidOperationException("Call canceled by the client"));

        Assert.Equal(ApiGuard.ClientClosedRequest, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.DoesNotContain(log.Levels, l => l >= LogLevel.Warning);
    }

    [Fact]
    public async Task NotAborted_HandlerThrows_Is500AndLoggedAsError()
    {
        var log = new RecordingLogger();
        var guard = new ApiGuard(Options.Create(new FluxOptions()), log);
        var request = Request(CancellationToken.None);

        var result = await guard.RunAsync(request, () => throw new InvalidOperationException("boom"));

        Assert.Equal(500, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Contains(LogLevel.Error, log.Levels);
    }

    private static HttpRequest Request(CancellationToken aborted)
    {
        var context = new DefaultHttpContext { RequestAborted = aborted };
        context.Request.Method = "GET";
        context.Request.Path = "/api/edits/x";
        return context.Request;
    }

    private sealed class RecordingLogger : ILogger<ApiGuard>
    {
        public List<LogLevel> Levels { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Levels.Add(logLevel);
    }
}
