using System.Net.Sockets;
using Grpc.Net.Client;

namespace FluxFunctions.Runner.Durable;

/// <summary>
/// The private Unix domain socket between the durable engine's gRPC sidecar and this process's worker and client.
/// Nothing else can reach it (no TCP port is opened for it). A process that was killed leaves its socket file behind;
/// each new one first removes the files in the same folder that nobody listens on any more.
/// </summary>
public sealed class SidecarSocket : IDisposable
{
    private const string FilePrefix = "fluxfunctions-";
    private const string FileSuffix = ".sock";

    public SidecarSocket()
        : this(System.IO.Path.GetTempPath())
    {
    }

    public SidecarSocket(string directory)
    {
        SweepStale(directory);
        Path = System.IO.Path.Combine(directory, $"{FilePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}{FileSuffix}");
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

    /// <summary>
    /// Removes the sidecar socket files in <paramref name="directory"/> that refuse a connection (their process is gone;
    /// a live one, of this or another process, accepts it and stays). Returns how many were removed.
    /// </summary>
    public static int SweepStale(string directory)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, $"{FilePrefix}*{FileSuffix}"))
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(file));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                try
                {
                    File.Delete(file);
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another sweeper got there first, or the file is not ours to remove.
                }
            }
            catch (SocketException)
            {
                // Anything but a refusal (a permission, a file that is not a socket): leave it alone.
            }
        }

        return removed;
    }

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
