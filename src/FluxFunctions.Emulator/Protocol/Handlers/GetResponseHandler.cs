using System.Collections.Frozen;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>
/// <c>getResponse</c>: the status and results of an inference by its task UUID. It names an existing task, so it is
/// never a duplicate; a UUID that is not a (visible) inference is answered per <c>Emulator:UnknownTask</c>. The first
/// fetch of a finished result is timed (how long the result waited for its client, <see cref="EmulatorStats.ResultFetched"/>),
/// and every poll of a known inference is counted (<see cref="EmulatorStats.ResultPolled"/>).
/// </summary>
internal sealed class GetResponseHandler(TaskLookup lookup, ResultEntries entries, EmulatorStats stats) : ITaskHandler
{
    private static readonly FrozenSet<string> Allowed = FrozenSet.Create(StringComparer.Ordinal, "taskType", "taskUUID");

    public string TaskType => TaskTypes.GetResponse;

    public Task<HandledTask> HandleAsync(TaskFields fields, TaskHeader? header, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(context);
        fields.RejectUnknown(Allowed);
        if (!fields.IsValid || header is null)
        {
            return Task.FromResult(HandledTask.Rejected(fields));
        }

        if (!lookup.TryFind(header, out var task) || task.Job is not { } job)
        {
            return Task.FromResult(lookup.Unknown(header));
        }

        stats.ResultPolled();
        var first = job.Polled();
        if (job.FirstFetchDelayMs() is { } delayMs)
        {
            stats.ResultFetched(delayMs, first);
        }

        return Task.FromResult(HandledTask.Done(entries.ForJob(job, context.PublicBaseUrl, withStatus: true)));
    }
}
