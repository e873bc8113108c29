using System.Diagnostics;
using Azure.Storage.Blobs;
using Xunit;

namespace FluxFunctions.Testing;

/// <summary>
/// A real Azurite (blob, queue, table) on free loopback ports with in-memory persistence, started for the tests
/// and stopped after them. Needs <c>node_modules/.bin/azurite</c> (installed by <c>scripts/install-tools.sh</c>).
/// <para>With <see cref="SeparateProcesses"/> each service runs as its own process (<c>azurite-blob</c>, <c>azurite-queue</c>,
/// <c>azurite-table</c>), so the emulated account can use more than one core: one Node process serialises every storage
/// call on one, which the benchmarks would otherwise measure instead of the pipeline.</para>
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly List<(string Name, OutputKeepingProcess Process)> processes = [];

    /// <summary>One process per service instead of one for all three.</summary>
    public bool SeparateProcesses { get; init; }

    public int BlobPort { get; private set; }

    /// <summary>The Azurite processes running now, named after their launcher (<c>azurite</c>, or <c>azurite-blob</c>, <c>-queue</c>, <c>-table</c>).</summary>
    public IReadOnlyList<(string Name, Process Process)> Processes => processes.Select(p => (p.Name, Process.GetProcessById(p.Process.Pid))).ToList();

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

        // A port found free can be taken before Azurite binds it (outgoing connections draw local ports from the same
        // range, and the test projects run in parallel): an Azurite that exits at start is tried again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            var exited = await TryStartAsync();
            if (exited is null)
            {
                return;
            }

            await DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"Azurite did not start (3 attempts on fresh ports); it said: {exited}");
            }
        }
    }

    /// <summary>Starts Azurite on fresh ports; null when every service listens, else what it printed before it exited.</summary>
    private async Task<string?> TryStartAsync()
    {
        BlobPort = FreePort.Next();
        QueuePort = FreePort.Next();
        TablePort = FreePort.Next();
        string[] common = ["--silent", "--disableTelemetry", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl"];
        string[] blob = ["--blobHost", "127.0.0.1", "--blobPort", Invariant(BlobPort)];
        string[] queue = ["--queueHost", "127.0.0.1", "--queuePort", Invariant(QueuePort)];
        string[] table = ["--tableHost", "127.0.0.1", "--tablePort", Invariant(TablePort)];
        if (SeparateProcesses)
        {
            Start(RepoPaths.Azurite + "-blob", [.. common, .. blob]);
            Start(RepoPaths.Azurite + "-queue", [.. common, .. queue]);
            Start(RepoPaths.Azurite + "-table", [.. common, .. table]);
        }
        else
        {
            Start(RepoPaths.Azurite, [.. common, .. blob, .. queue, .. table]);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await FreePort.AcceptsAsync(port))
            {
                if (processes.Where(p => p.Process.HasExited).Select(p => p.Process).ToList() is { Count: > 0 } exited)
                {
                    await Task.WhenAll(exited.Select(p => p.Exited)); // the rest of their output
                    var said = exited.SelectMany(p => p.Output.Split('\n')).Where(line => !string.IsNullOrWhiteSpace(line)).TakeLast(10);
                    return $"exited before listening on port {port}: {string.Join(" | ", said)}";
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not listen on port {port} within 30 s.");
                }

                await Task.Delay(100);
            }
        }

        return null;
    }

    public Task DisposeAsync()
    {
        foreach (var (_, process) in processes)
        {
            process.Dispose();
        }

        processes.Clear();
        return Task.CompletedTask;
    }

    private void Start(string launcher, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(launcher);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        processes.Add((Path.GetFileName(launcher), OutputKeepingProcess.Start(psi)));
    }

    private static string Invariant(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
