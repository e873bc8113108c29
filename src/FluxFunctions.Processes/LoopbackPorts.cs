using System.Globalization;
using System.Net.Sockets;

namespace FluxFunctions.Processes;

/// <summary>Free loopback ports and port checks.</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", port, cts.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    public static string Str(int port) => port.ToString(CultureInfo.InvariantCulture);
}
