using FluxFunctions.Imaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Composition;

/// <summary>At start, on both hosts, before any job: glibc tuned for image buffers (<see cref="NativeHeap"/>: large ones on their own mappings, free space kept for the next job, heaps capped), and the log says so.</summary>
internal sealed partial class NativeHeapSetup(ILogger<NativeHeapSetup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogNativeHeap(logger, NativeHeap.TuneForImages());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1472, Level = LogLevel.Information, Message = "Native heap: {Outcome}")]
    private static partial void LogNativeHeap(ILogger logger, string outcome);
}
