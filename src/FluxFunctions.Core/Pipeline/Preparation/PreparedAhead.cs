using System.Collections.Concurrent;
using FluxFunctions.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// An HTTP job's inputs prepared and handed to Runware by the host that admitted it, while its orchestration starts and
/// schedules the job's first activity (two trips through the task hub: tens of milliseconds for a lone job, up to half a
/// second under a flood of admissions). When <see cref="Activities.PrepareInputs"/> runs on the same host it takes the
/// preparation (<see cref="Take"/>) instead of making it; elsewhere it prepares as usual, and the work here was only
/// spent effort: the same blobs, the same bytes (<see cref="InputPreparer"/> is idempotent), an upload Runware does not
/// charge for (<i>assumed</i>: its pricing names inference tasks only). Nothing durable depends on it.
/// <para>Only with room: while the host's inference slots held, the jobs preparing here for one, the submissions in line
/// and the preparations already ahead leave a slot free, so a job prepared ahead would not wait for a slot anyway; under a
/// steady flood nothing is prepared ahead, as the slots are busy. Blob jobs are not (their options come from their
/// companions, which the job reads).</para>
/// <para><c>Flux__PrepareAhead</c> (default on) turns it off.</para>
/// </summary>
public sealed partial class PreparedAhead(InputPreparer preparer, InferenceSlots slots, IOptions<FluxOptions> options, TimeProvider time, ILogger<PreparedAhead> logger)
{
    /// <summary>A preparation not taken this long after it began is dropped (the job's activity ran elsewhere, or the job ended first).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, Ahead> ahead = new(StringComparer.Ordinal);

    /// <summary>Preparations begun here and not yet taken.</summary>
    public int Pending => ahead.Count;

    /// <summary>Begins preparing <paramref name="job"/>'s inputs when it is an HTTP job and this host has room; returns at once. True when it began.</summary>
    public bool Begin(JobRequest job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!options.Value.PrepareAhead || job.Spec is not { } spec)
        {
            return false;
        }

        Purge();
        if (slots.HeldHere + slots.PreparingHere + slots.Waiting + ahead.Count >= slots.Capacity)
        {
            return false;
        }

        var work = Task.Run(() => preparer.PrepareAsync(job.JobId, job.Image, job.Mask, job.References, spec, job.Settings.ImageTransfer, CancellationToken.None));
        if (!ahead.TryAdd(job.JobId, new Ahead(job.Image, work, time.GetTimestamp())))
        {
            return false;
        }

        // Observed here, so a failure nobody takes is not an unobserved task exception; the activity that takes it decides.
        _ = work.ContinueWith(t => LogFailed(logger, job.JobId, t.Exception!.InnerException!.GetType().Name), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        LogBegun(logger, job.JobId);
        return true;
    }

    /// <summary>The preparation begun here for <paramref name="job"/> (finished or still running), once; null when none was (or it was for other inputs).</summary>
    public Task<PreparedJob>? Take(JobRequest job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ahead.TryRemove(job.JobId, out var found) && found.Image == job.Image ? found.Work : null;
    }

    private void Purge()
    {
        foreach (var (jobId, entry) in ahead)
        {
            if (time.GetElapsedTime(entry.Since) > KeptFor)
            {
                ahead.TryRemove(jobId, out _);
            }
        }
    }

    private sealed record Ahead(Storage.BlobRef Image, Task<PreparedJob> Work, long Since);

    [LoggerMessage(EventId = 1453, Level = LogLevel.Debug, Message = "Job {JobId}: preparing its inputs while its orchestration starts")]
    private static partial void LogBegun(ILogger logger, string jobId);

    [LoggerMessage(EventId = 1454, Level = LogLevel.Debug, Message = "Job {JobId}: preparing its inputs ahead failed ({Reason}); the job's activity decides")]
    private static partial void LogFailed(ILogger logger, string jobId, string reason);
}
