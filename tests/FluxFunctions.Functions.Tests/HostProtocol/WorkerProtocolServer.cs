using System.Net;
using System.Threading.Channels;
using FluxFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The gRPC endpoint a Functions host opens for its language workers: Kestrel, cleartext HTTP/2, on a free loopback port,
/// serving <c>AzureFunctionsRpcMessages.FunctionRpc</c>. Messages may be as large as the host allows (int.MaxValue).
/// </summary>
public sealed class WorkerProtocolServer : IAsyncDisposable
{
    private readonly Channel<WorkerConnection> accepted = Channel.CreateUnbounded<WorkerConnection>();
    private WebApplication? app;

    /// <summary>The address passed to the worker as <c>--functions-uri</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public async Task StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(g =>
        {
            g.MaxReceiveMessageSize = int.MaxValue;
            g.MaxSendMessageSize = int.MaxValue;
        });
        builder.Services.AddSingleton(accepted);
        app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync().ConfigureAwait(false);
        Address = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The next worker stream to open, or a failure once <paramref name="giveUp"/> completes (the worker exited).</summary>
    public async Task<WorkerConnection> AcceptAsync(TimeSpan timeout, Task giveUp)
    {
        ArgumentNullException.ThrowIfNull(giveUp);
        using var cts = new CancellationTokenSource(timeout);
        var read = accepted.Reader.ReadAsync(cts.Token).AsTask();
        var first = await Task.WhenAny(read, giveUp).ConfigureAwait(false);
        if (first != read)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            throw new InvalidOperationException("The worker exited before it opened its event stream.");
        }

        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The worker opened no event stream to {Address} within {timeout.TotalSeconds:0} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(stop.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            app = null;
        }
    }
}
