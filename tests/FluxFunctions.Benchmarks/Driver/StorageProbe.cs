using System.Diagnostics;
using System.Globalization;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// How responsive each Azurite service stayed during a batch: a cheap request (an unsigned account listing, answered
/// 403 at once) to the blob, queue and table service every 250 ms, and the slowest answer of each. Azurite is the
/// local stand-in for Azure Storage, and a single-threaded one: its queue service stops answering while its once-a-minute
/// extent garbage collection runs (seconds under a durable engine's message load), which holds every job's next step.
/// </summary>
internal sealed class StorageProbe : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly CancellationTokenSource stop = new();
    private readonly List<(string Name, Task<(TimeSpan Slowest, TimeSpan At)> Loop)> loops = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public static StorageProbe Start(IEnumerable<(string Name, int Port)> services)
    {
        var probe = new StorageProbe();
        foreach (var (name, port) in services)
        {
            probe.loops.Add((name, probe.LoopAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/devstoreaccount1?comp=list"))));
        }

        return probe;
    }

    /// <summary>One line: each service's slowest answer and when it came.</summary>
    public async Task<string> StopAsync()
    {
        await stop.CancelAsync();
        var parts = new List<string>();
        foreach (var (name, loop) in loops)
        {
            var (slowest, at) = await loop;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {slowest.TotalSeconds:0.00} s{(slowest > TimeSpan.FromSeconds(1) ? $" (answered {at.TotalSeconds:0.0} s into the batch)" : "")}"));
        }

        return "slowest Azurite answer (probed every 250 ms): " + string.Join(", ", parts);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await stop.CancelAsync();
        }

        foreach (var (_, loop) in loops)
        {
            await loop;
        }

        stop.Dispose();
        http.Dispose();
    }

    private async Task<(TimeSpan, TimeSpan)> LoopAsync(Uri uri)
    {
        var slowest = TimeSpan.Zero;
        var at = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync(uri, CancellationToken.None);
            }
            catch (HttpRequestException)
            {
                // Refused or reset: the time it took still says how responsive the service was.
            }
            catch (TaskCanceledException)
            {
                // The client's timeout: counted as the slowest answer so far.
            }

            if (started.Elapsed > slowest)
            {
                slowest = started.Elapsed;
                at = clock.Elapsed;
            }

            try
            {
                await Task.Delay(Every, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (slowest, at);
    }
}
