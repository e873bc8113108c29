using System.Net;
using System.Net.Sockets;

namespace FluxFunctions.Testing;

/// <summary>Free loopback TCP ports for servers started by tests.</summary>
public static class FreePort
{
    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = [];

    /// <summary>A loopback port nobody listens on now and this process has not handed out before.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var i = 0; i < 100; i++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException("No free loopback port found.");
        }
    }

    /// <summary>Whether a server accepts connections on <paramref name="port"/> of <paramref name="host"/> (loopback by default) now.</summary>
    public static async Task<bool> AcceptsAsync(int port, string host = "127.0.0.1", CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
