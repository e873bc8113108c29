using System.Net.Sockets;
using Grpc.Net.Client;

namespace FluxFunctions.Host.Durable;

/// <summary>
/// The private Unix domain socket between the durable engine's gRPC sidecar and this process's worker and client.
/// Nothing else can reach it (no TCP port is opened for it).
/// </summary>
public sealed class SidecarSocket : IDisposable
{
    public SidecarSocket()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fluxfunctions-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        Channel = GrpcChannel.ForAddress("http://fluxfunctions-sidecar", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path), cancellationToken).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            },
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
    }

    /// <summary>The socket file.</summary>
    public string Path { get; }

    /// <summary>The gRPC channel the worker and the client share.</summary>
    public GrpcChannel Channel { get; }

    public void Dispose()
    {
        Channel.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}
