using System.Diagnostics;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using Xunit;

namespace FluxFunctions.Testing;

/// <summary>
/// A real Azurite (blob, queue, table) on free loopback ports with in-memory persistence, started for the tests
/// and stopped after them. Needs <c>node_modules/.bin/azurite</c> (installed by <c>scripts/install-tools.sh</c>).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Process? process;

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    /// <summary>A connection string for the well-known development account on this instance's ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public BlobServiceClient BlobService => new(ConnectionString);

    public async Task InitializeAsync()
    {
        if (!File.Exists(RepoPaths.Azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {RepoPaths.Azurite}; run scripts/install-tools.sh (scripts/test.sh does).");
        }

        BlobPort = FreePort.Next();
        QueuePort = FreePort.Next();
        TablePort = FreePort.Next();
        var psi = new ProcessStartInfo(RepoPaths.Azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl",
                     "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        process = Process.Start(psi) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await CanConnect(port))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not listen on port {port} (exited: {process.HasExited}).");
                }

                await Task.Delay(100);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process?.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<bool> CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
