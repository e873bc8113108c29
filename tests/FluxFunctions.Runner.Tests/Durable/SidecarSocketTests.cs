using System.Net.Sockets;
using FluxFunctions.Runner.Durable;

namespace FluxFunctions.Runner.Tests.Durable;

/// <summary>A killed runner's socket file is removed by the next runner; a live one's is not.</summary>
public sealed class SidecarSocketTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sidecar-sweep-").FullName;

    [Fact]
    public void SweepStale_RemovesRefusingSocketsOnly()
    {
        var stale = Path.Combine(directory, "fluxfunctions-999999-stale.sock");
        var live = Path.Combine(directory, "fluxfunctions-1-live.sock");
        var other = Path.Combine(directory, "someone-else.sock");
        LeaveBehind(stale);
        using var listening = Listen(live);
        LeaveBehind(other);
        Assert.True(File.Exists(stale));

        var removed = SidecarSocket.SweepStale(directory);

        Assert.Equal(1, removed);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void NewSocket_SweepsItsFolderFirst()
    {
        var stale = Path.Combine(directory, "fluxfunctions-999999-stale.sock");
        LeaveBehind(stale);
        Assert.True(File.Exists(stale));

        using var socket = new SidecarSocket(directory);

        Assert.False(File.Exists(stale));
        Assert.StartsWith(directory, socket.Path, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A socket file nobody listens on, as a SIGKILLed process leaves it (a disposed socket removes its own file,
    /// so the file is renamed away from the socket first).</summary>
    private void LeaveBehind(string path)
    {
        var bound = Path.Combine(directory, $"{Guid.NewGuid():N}.tmp");
        using var socket = Listen(bound);
        File.Move(bound, path);
    }

    private static Socket Listen(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return socket;
    }
}
