using System.Net;
using System.Net.Sockets;
using FluxFunctions.Testing;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// A loopback TCP port that relays every connection byte for byte to a Unix domain socket. The runner serves its durable
/// engine (TaskHubGrpcServer) on a private Unix socket only, while the Durable extension hands an isolated worker an
/// <c>http://</c> gRPC address: this relay gives the worker that address without changing the runner.
/// </summary>
public sealed class UnixSocketRelay : IAsyncDisposable
{
    private readonly string socketPath;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> pumps = [];
    private readonly object gate = new();
    private Task? accepting;

    public UnixSocketRelay(string socketPath)
    {
        this.socketPath = socketPath;
        listener = new TcpListener(IPAddress.Loopback, FreePort.Next());
    }

    /// <summary>The relay's address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    public void Start()
    {
        listener.Start();
        accepting = AcceptLoopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        Task[] running;
        lock (gate)
        {
            running = [.. pumps, accepting ?? Task.CompletedTask];
        }

        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (gate)
            {
                pumps.RemoveAll(t => t.IsCompleted);
                pumps.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), stopping.Token).ConfigureAwait(false);
                await using var inner = new NetworkStream(unix, ownsSocket: false);
                var outer = client.GetStream();
                using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                var up = outer.CopyToAsync(inner, done.Token);
                var down = inner.CopyToAsync(outer, done.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
                await done.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // Either side went away: the other is closed by the usings.
            }
        }
    }
}
