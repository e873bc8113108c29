using System.Text.Json;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Jobs;

/// <summary>
/// Reads a job's state from its orchestration (and, for a job terminated while its manifest was being written, from the
/// manifest) and maps it to <see cref="EditStatus"/>: Pending → pending; Running/Suspended → running (but the final
/// status while only the completion callback is being delivered); Completed with a completed result → completed; with a
/// canceled result → canceled; with a failed result, or Failed → failed; Terminated → canceled. A job whose preparing
/// activity has gone on to its inference (its first task holds an inference slot) shows as inferring.
/// </summary>
public sealed partial class EditStatusReader(FluxStorage storage, InferenceSlots slots, ILogger<EditStatusReader> logger)
{
    /// <summary>The job's view, or null when no job has this id (malformed ids included).</summary>
    public async Task<EditView?> ReadAsync(DurableTaskClient client, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!JobIds.IsWellFormed(id))
        {
            return null;
        }

        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (metadata is null || metadata.Name != nameof(EditOrchestrator))
        {
            return null;
        }

        return await ToViewAsync(metadata, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Maps orchestration metadata (read with inputs and outputs) to the job's view.</summary>
    public async Task<EditView> ToViewAsync(OrchestrationMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var request = TryRead(() => metadata.ReadInputAs<JobRequest>());
        var progress = metadata.SerializedCustomStatus is null ? null : TryRead(() => metadata.ReadCustomStatusAs<JobProgress>());
        var tool = request?.Tool?.Name();
        var id = metadata.InstanceId;
        var createdAt = request?.CreatedAt ?? metadata.CreatedAt;

        var state = StateOf(metadata, progress, logger);
        if (state.Ended is { } ended)
        {
            return EditView.Ended(id, request, ended, createdAt, metadata.LastUpdatedAt, state.Callback, ended.ProgressCallbacks);
        }

        var (status, stage) = (state.Status, state.Stage);
        IReadOnlyList<OutputImage> images = [];
        FluxError? error = null;
        if (status == EditStatuses.Failed)
        {
            error = EditView.UnexpectedError(id);
        }
        else if (status == EditStatuses.Canceled)
        {
            // Terminated: after the manifest was written, the job did complete.
            var manifestImages = request is null ? null : await ReadManifestImagesAsync(request, cancellationToken).ConfigureAwait(false);
            (status, stage, images, error) = manifestImages is not null
                ? (EditStatuses.Completed, Stages.Completed, manifestImages, (FluxError?)null)
                : (status, stage, [], JobResult.CanceledError);
        }
        else if (stage == Stages.Preparing && await slots.IsHeldAsync(RunwareIds.Inference(id, 0, 0).ToString(), cancellationToken).ConfigureAwait(false))
        {
            // The preparing activity goes on to submit the inference and watch it: once its slot is taken, say so.
            stage = Stages.Inferring;
        }

        var edit = new EditStatus(id, tool, status, stage, createdAt, metadata.LastUpdatedAt, EditView.Outputs(id, images), error);
        return new EditView(edit, images, request);
    }

    /// <summary>
    /// What an orchestration's metadata alone says about its job (no storage read): the one mapping of runtime status
    /// and custom status to a job's status and stage, for a single job's view and a batch's counts alike. Pending →
    /// pending/queued; Running/Suspended → running at its progress stage, or the ended outcome while only its completion
    /// callback is being delivered; Completed → the outcome of its result (unreadable: failed); Failed → failed;
    /// Terminated → canceled (<see cref="ToViewAsync"/> then checks for a manifest written before the termination).
    /// </summary>
    /// <param name="metadata">The orchestration, read with its inputs and outputs.</param>
    /// <param name="progress">Its custom status when the caller has read it already; else read here.</param>
    /// <param name="logger">Where an unreadable custom status or output is reported.</param>
    public static JobState StateOf(OrchestrationMetadata metadata, JobProgress? progress, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        progress ??= metadata.SerializedCustomStatus is null ? null : TryRead(() => metadata.ReadCustomStatusAs<JobProgress>(), logger);
        switch (metadata.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Pending:
                return new JobState(EditStatuses.Pending, Stages.Queued);
            case OrchestrationRuntimeStatus.Completed:
                var result = TryRead(() => metadata.ReadOutputAs<JobResult>(), logger);
                return result is null
                    ? new JobState(EditStatuses.Failed, progress?.Stage)
                    : Final(result with { FailedStage = result.FailedStage ?? progress?.Stage }, result.Callback);
            case OrchestrationRuntimeStatus.Failed:
                return new JobState(EditStatuses.Failed, progress?.Stage);
            case OrchestrationRuntimeStatus.Terminated:
                return new JobState(EditStatuses.Canceled, progress?.Stage);
            case OrchestrationRuntimeStatus.Running when progress is { Stage: Stages.Notifying, Result: { } ended }:
                // The outcome is final; only its completion callback is still being delivered.
                return Final(ended, progress.Callback);
            default:
                return new JobState(EditStatuses.Running, progress?.Stage ?? Stages.Queued);
        }

        static JobState Final(JobResult result, CallbackDelivery? callback) =>
            new(EditStatuses.Of(result.Outcome), result.Outcome == JobOutcome.Completed ? Stages.Completed : result.FailedStage, result, callback);
    }

    /// <summary>
    /// Waits until the job has ended (completed, failed or canceled — also while its completion callback is still being
    /// delivered) and returns its view; null for an unknown id. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> ends first.
    /// </summary>
    public async Task<EditView?> WaitForEndAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        while (true)
        {
            EditView? view;
            try
            {
                view = await ReadAsync(client, id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                // The gRPC client's GetInstancesAsync lets RpcException(Cancelled) through where its waits throw
                // OperationCanceledException (durabletask-dotnet GrpcDurableTaskClient): the caller's deadline passed.
                throw new OperationCanceledException("The wait for the job's end reached its deadline.", ex, cancellationToken);
            }

            if (view is null || EditStatuses.IsFinal(view.Status.Status))
            {
                return view;
            }

            // Wakes at once when the orchestration completes; looks again every second for the notifying stage.
            using var slice = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            slice.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, slice.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>The manifest's images when the job's manifest exists, else null.</summary>
    public async Task<IReadOnlyList<OutputImage>?> ReadManifestImagesAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var blob = new BlobRef(request.Settings.OutputContainer, OutputLayout.Manifest(OutputLayout.OutputPrefix(request.BaseName, request.JobId)));
        if (await storage.GetETagAsync(blob, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var content = await storage.ReadAsync(blob, 4 * 1024 * 1024, cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(content.Data);
        var images = new List<OutputImage>();
        if (doc.RootElement.TryGetProperty("images", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var image in list.EnumerateArray())
            {
                if (image.TryGetProperty("quarantined", out var quarantined) && quarantined.ValueKind == JsonValueKind.True)
                {
                    continue; // in the quarantine container: never served as an output
                }

                var where = image.GetProperty("blob").GetString() ?? "";
                var slash = where.IndexOf('/', StringComparison.Ordinal);
                OutputFormats.TryParse(image.GetProperty("format").GetString(), out var format);
                images.Add(new OutputImage(
                    image.GetProperty("index").GetInt32(),
                    slash > 0 ? where[..slash] : request.Settings.OutputContainer,
                    slash > 0 ? where[(slash + 1)..] : where,
                    image.GetProperty("width").GetInt32(),
                    image.GetProperty("height").GetInt32(),
                    image.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number ? seed.GetInt64() : null,
                    format,
                    null,
                    Flagged: image.TryGetProperty("flagged", out var flagged) && flagged.ValueKind == JsonValueKind.True));
            }
        }

        LogTerminatedWithManifest(logger, request.JobId);
        return images;
    }

    private T? TryRead<T>(Func<T?> read)
        where T : class => TryRead(read, logger);

    private static T? TryRead<T>(Func<T?> read, ILogger logger)
        where T : class
    {
        try
        {
            return read();
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, typeof(T).Name, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Could not read the {Type} of a job: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string type, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Job {JobId} was terminated after its manifest was written; it is reported as completed")]
    private static partial void LogTerminatedWithManifest(ILogger logger, string jobId);
}

/// <summary>A job's status and stage as its orchestration shows them (<see cref="EditStatusReader.StateOf"/>).</summary>
/// <param name="Status">One of <see cref="EditStatuses"/>.</param>
/// <param name="Stage">The stage it is at, or ended in.</param>
/// <param name="Ended">The outcome, once final and readable.</param>
/// <param name="Callback">The completion callback's delivery, when the outcome is final.</param>
public sealed record JobState(string Status, string? Stage, JobResult? Ended = null, CallbackDelivery? Callback = null);
