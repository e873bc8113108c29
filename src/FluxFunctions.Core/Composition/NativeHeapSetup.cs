using FluxFunctions.Imaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Composition;

/// <summary>At start, on both hosts, before any job: large image buffers get their own mappings (<see cref="NativeHeap"/>), and the log says so.</summary>
internal sealed partial class NativeHeapSetup(ILogger<NativeHeapSetup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogNativeHeap(logger, NativeHeap.ReturnLargeBlocks());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1472, Level = LogLevel.Information, Message = "Native heap: {Outcome}")]
    private static partial void LogNativeHeap(ILogger logger, string outcome);
}
