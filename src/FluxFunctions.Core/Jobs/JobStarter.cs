using FluxFunctions.Core.Pipeline;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Jobs;

/// <summary>
/// Starts a job's orchestration exactly once. Starting an instance id that exists replaces it by default in Durable
/// Functions, so the instance is looked up first and the start carries dedupe statuses for the race in between.
/// </summary>
public sealed partial class JobStarter(ILogger<JobStarter> logger)
{
    private static readonly OrchestrationRuntimeStatus[] AllStatuses =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated,
    ];

    /// <summary>Starts the job unless an instance with its id already exists. True when this call started it.</summary>
    public async Task<bool> StartOnceAsync(DurableTaskClient client, JobRequest job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(job);
        var existing = await client.GetInstanceAsync(job.JobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            LogAlreadyStarted(logger, job.JobId, existing.RuntimeStatus);
            return false;
        }

        try
        {
            var options = new StartOrchestrationOptions(job.JobId).WithDedupeStatuses(AllStatuses);
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(EditOrchestrator), job, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsAlreadyExists(ex))
        {
            LogAlreadyStarted(logger, job.JobId, OrchestrationRuntimeStatus.Pending);
            return false;
        }

        LogStarted(logger, job.JobId, job.Origin, job.Image.Name);
        return true;
    }

    /// <summary>
    /// Starts a job whose id was made for this request (<see cref="JobIds.ForApi"/>, random): no instance can have it, so
    /// there is nothing to look up first (one storage read less per HTTP job).
    /// </summary>
    public async Task StartNewAsync(DurableTaskClient client, JobRequest job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(job);
        var options = new StartOrchestrationOptions(job.JobId).WithDedupeStatuses(AllStatuses);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(EditOrchestrator), job, options, cancellationToken).ConfigureAwait(false);
        LogStarted(logger, job.JobId, job.Origin, job.Image.Name);
    }

    private static bool IsAlreadyExists(Exception ex) =>
        ex.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal)
        || (ex.GetType().Name == "RpcException" && ex.Message.Contains("AlreadyExists", StringComparison.Ordinal))
        || ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Started job {JobId} ({Origin}) for {Blob}")]
    private static partial void LogStarted(ILogger logger, string jobId, JobOrigin origin, string blob);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Job {JobId} already exists ({Status}); not started again")]
    private static partial void LogAlreadyStarted(ILogger logger, string jobId, OrchestrationRuntimeStatus status);
}
