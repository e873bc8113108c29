using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Api;

/// <summary>The answer of <c>GET /api/batches/{tool}/{path}</c>.</summary>
/// <param name="Prefix">The input prefix counted, <c>{tool}/{path}/</c>.</param>
/// <param name="Total">Images (png, jpg, jpeg, webp) under the prefix in the input container, each once.</param>
/// <param name="Completed">Images whose current upload has a manifest.</param>
/// <param name="Failed">Images whose current upload has a failure record.</param>
/// <param name="Canceled">Images whose current upload's job was canceled (nothing written; known from the stage lookup).</param>
/// <param name="InProgress">The rest: neither manifest nor failure record yet.</param>
/// <param name="Done">True when nothing is in progress.</param>
/// <param name="FailedByCode">Failed images per error code.</param>
/// <param name="InProgressByStage">In-progress images per stage (<c>notStarted</c>: no job yet; <c>notLookedUp</c>: beyond
/// <see cref="BatchStatusReader.MaxStageLookups"/>; <c>ended</c>: the job ended but its record is not listed yet).</param>
/// <param name="RecentFailures">The newest failures of current uploads, newest first (at most <see cref="BatchStatusReader.RecentFailureCount"/>).</param>
/// <param name="OtherRecords">Manifests and failure records under the prefix that belong to no current upload (earlier
/// uploads of a replaced image, removed inputs, HTTP jobs): not counted above.</param>
/// <param name="ListedAt">When the listings were taken.</param>
/// <param name="Flagged">Completed images with at least one result Runware's safety check flagged (kept, or quarantined).</param>
/// <param name="Quarantined">Completed images with at least one result in the quarantine container (counted in <see cref="Completed"/> and <see cref="Flagged"/> too).</param>
public sealed record BatchStatus(
    string Prefix,
    int Total,
    int Completed,
    int Failed,
    int Canceled,
    int InProgress,
    bool Done,
    IReadOnlyDictionary<string, int> FailedByCode,
    IReadOnlyDictionary<string, int> InProgressByStage,
    IReadOnlyList<BatchFailure> RecentFailures,
    int OtherRecords,
    DateTimeOffset ListedAt,
    int Flagged = 0,
    int Quarantined = 0);

/// <summary>One failed image of a batch.</summary>
/// <param name="Blob">The input image's blob name.</param>
/// <param name="JobId">The job id of its current upload.</param>
/// <param name="Code">The error code.</param>
/// <param name="Message">The error message.</param>
/// <param name="Stage">The stage it failed in.</param>
/// <param name="Record">The failure record's blob name in the failed container.</param>
/// <param name="FailedAt">When the record was written.</param>
public sealed record BatchFailure(string Blob, string JobId, string Code, string Message, string? Stage, string Record, DateTimeOffset FailedAt);

/// <summary>
/// Counts a batch from three blob listings under one prefix, taken in parallel: the input images (each image's job id is
/// <see cref="JobIds.ForBlob"/> of its name and current ETag), the manifests (<c>{base}/{jobId}/manifest.json</c>) and
/// the failure records (<c>{base}/{jobId}.json</c>, listed with their metadata, which carries the error code). An image
/// counts once, by its current upload: records of earlier uploads of the same name are <see cref="BatchStatus.OtherRecords"/>.
/// Only the newest <see cref="RecentFailureCount"/> failure records are opened (for their messages), plus older records
/// written without the code metadata. In-progress images get their stage from their orchestration's custom status, for
/// at most <see cref="MaxStageLookups"/> of them (point reads, a few at a time); the rest count as <c>notLookedUp</c>.
/// </summary>
public sealed partial class BatchStatusReader(FluxStorage storage, TimeProvider time, ILogger<BatchStatusReader> logger)
{
    /// <summary>How many of the newest failures the answer lists.</summary>
    public const int RecentFailureCount = 10;

    /// <summary>How many in-progress jobs have their stage looked up; beyond this they count as <c>notLookedUp</c>.</summary>
    public const int MaxStageLookups = 100;

    /// <summary>Stage of an in-progress image whose job has not been started (its trigger has not seen it yet).</summary>
    public const string NotStarted = "notStarted";

    /// <summary>Stage of in-progress images beyond <see cref="MaxStageLookups"/>.</summary>
    public const string NotLookedUp = "notLookedUp";

    /// <summary>Stage of an image whose job ended after the listing (its record is not listed yet) or without a record.</summary>
    public const string Ended = "ended";

    private const int Parallelism = 8;
    private const long MaxRecordBytes = 1024 * 1024;

    /// <summary>The batch status of every image under <paramref name="prefix"/> (<c>{tool}/…/</c>, validated by the caller).</summary>
    public async Task<BatchStatus> ReadAsync(string prefix, DurableTaskClient? client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var listedAt = time.GetUtcNow();
        var inputsTask = ListInputsAsync(prefix, cancellationToken);
        var manifestsTask = ListManifestsAsync(prefix, cancellationToken);
        var failuresTask = ListFailuresAsync(prefix, cancellationToken);
        await Task.WhenAll(inputsTask, manifestsTask, failuresTask).ConfigureAwait(false);
        var inputs = await inputsTask.ConfigureAwait(false);
        var manifests = await manifestsTask.ConfigureAwait(false);
        var failures = await failuresTask.ConfigureAwait(false);

        var completed = 0;
        var flagged = 0;
        var quarantined = 0;
        var failed = new List<(Input Input, FailureItem Record)>();
        var pending = new List<Input>();
        var used = 0;
        foreach (var input in inputs)
        {
            if (manifests.TryGetValue(input.JobId, out var manifest))
            {
                completed++;
                flagged += manifest.Flagged ? 1 : 0;
                quarantined += manifest.Quarantined ? 1 : 0;
                used++;
            }
            else if (failures.TryGetValue(input.JobId, out var record))
            {
                failed.Add((input, record));
                used++;
            }
            else
            {
                pending.Add(input);
            }
        }

        var others = manifests.Count + failures.Count - used;

        // Codes: from the listing's metadata; records written without it are opened. The newest are opened for messages.
        var newest = failed.OrderByDescending(f => f.Record.LastModified).ThenBy(f => f.Input.Name, StringComparer.Ordinal).ToList();
        var toOpen = newest.Take(RecentFailureCount).Concat(newest.Skip(RecentFailureCount).Where(f => f.Record.Code is null)).ToList();
        var opened = new ConcurrentDictionary<string, (string Code, string Message, string? Stage)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(toOpen, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (f, ct) =>
        {
            opened[f.Input.JobId] = await ReadFailureAsync(f.Record, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var byCode = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (input, record) in failed)
        {
            var code = record.Code ?? (opened.TryGetValue(input.JobId, out var o) ? o.Code : "unknown");
            byCode[code] = byCode.GetValueOrDefault(code) + 1;
        }

        var recent = newest.Take(RecentFailureCount).Select(f =>
        {
            var o = opened[f.Input.JobId];
            return new BatchFailure(f.Input.Name, f.Input.JobId, f.Record.Code ?? o.Code, o.Message, f.Record.Stage ?? o.Stage, f.Record.Name, f.Record.LastModified);
        }).ToList();

        var stages = await StagesAsync(pending, client, cancellationToken).ConfigureAwait(false);
        var canceled = stages.GetValueOrDefault(EditStatuses.Canceled);
        stages.Remove(EditStatuses.Canceled);
        var inProgress = pending.Count - canceled;
        LogCounted(logger, prefix, inputs.Count, completed, failed.Count, inProgress, (time.GetUtcNow() - listedAt).TotalMilliseconds);
        return new BatchStatus(prefix, inputs.Count, completed, failed.Count, canceled, inProgress, inProgress == 0, byCode, stages, recent, others, listedAt, flagged, quarantined);
    }

    private async Task<List<Input>> ListInputsAsync(string prefix, CancellationToken cancellationToken)
    {
        var container = storage.Options.InputContainer;
        var inputs = new List<Input>();
        await foreach (var item in storage.Inputs.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            if (DropName.TryParse(item.Name, out var drop, out _) && drop.Kind == DropKind.Image && drop.Tool is not null)
            {
                inputs.Add(new Input(item.Name, JobIds.ForBlob(container, item.Name, item.Properties.ETag?.ToString() ?? "")));
            }
        }

        return inputs;
    }

    /// <summary>The manifests under the prefix by job id, each with what its metadata says of flagged and quarantined results.</summary>
    private async Task<Dictionary<string, (bool Flagged, bool Quarantined)>> ListManifestsAsync(string prefix, CancellationToken cancellationToken)
    {
        var jobs = new Dictionary<string, (bool Flagged, bool Quarantined)>(StringComparer.Ordinal);
        await foreach (var item in storage.Outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            if (OutputLayout.TryParseManifest(item.Name, out var jobId))
            {
                jobs[jobId] = (Metadata(item.Metadata, JobRecords.FlaggedMetadata) is not null, Metadata(item.Metadata, JobRecords.QuarantinedMetadata) is not null);
            }
        }

        return jobs;
    }

    private async Task<Dictionary<string, FailureItem>> ListFailuresAsync(string prefix, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, FailureItem>(StringComparer.Ordinal);
        await foreach (var item in storage.Failed.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            if (OutputLayout.TryParseFailureRecord(item.Name, out var jobId))
            {
                var metadata = item.Metadata;
                records[jobId] = new FailureItem(
                    item.Name,
                    item.Properties.LastModified ?? item.Properties.CreatedOn ?? DateTimeOffset.MinValue,
                    Metadata(metadata, JobRecords.ErrorCodeMetadata),
                    Metadata(metadata, JobRecords.StageMetadata));
            }
        }

        return records;
    }

    private static string? Metadata(IDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private async Task<(string Code, string Message, string? Stage)> ReadFailureAsync(FailureItem record, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.ReadAsync(new BlobRef(storage.Options.FailedContainer, record.Name), MaxRecordBytes, cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(content.Data);
            var root = doc.RootElement;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
            return (
                Text(error, "code") ?? record.Code ?? "unknown",
                Text(error, "message") ?? "",
                Text(root, "stage") ?? record.Stage);
        }
        catch (Exception ex) when (ex is JsonException or Errors.PermanentFluxException)
        {
            LogUnreadable(logger, record.Name, ex.Message);
            return (record.Code ?? "unknown", "The failure record could not be read.", record.Stage);
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>In-progress images per stage, from their orchestrations' custom status (the first <see cref="MaxStageLookups"/>).</summary>
    private async Task<Dictionary<string, int>> StagesAsync(List<Input> pending, DurableTaskClient? client, CancellationToken cancellationToken)
    {
        var stages = new Dictionary<string, int>(StringComparer.Ordinal);
        if (pending.Count == 0)
        {
            return stages;
        }

        var lookups = client is null ? [] : pending.Take(MaxStageLookups).ToList();
        var found = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(lookups, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (input, ct) =>
        {
            // The custom status (the stage) comes only with the inputs and outputs.
            var metadata = await client!.GetInstanceAsync(input.JobId, getInputsAndOutputs: true, ct).ConfigureAwait(false);
            found.Add(StageOf(metadata));
        }).ConfigureAwait(false);

        foreach (var stage in found)
        {
            stages[stage] = stages.GetValueOrDefault(stage) + 1;
        }

        if (pending.Count > lookups.Count)
        {
            stages[NotLookedUp] = pending.Count - lookups.Count;
        }

        return stages;
    }

    /// <summary>
    /// The stage an in-progress image counts under: <see cref="NotStarted"/> without an orchestration; the stage of a
    /// running one; <see cref="EditStatuses.Canceled"/> for a canceled one (canceled jobs write no record); <see cref="Ended"/>
    /// for one that ended after the listings were taken. The job's state is <see cref="EditStatusReader.StateOf"/>'s.
    /// </summary>
    private string StageOf(OrchestrationMetadata? metadata)
    {
        if (metadata is null)
        {
            return NotStarted;
        }

        var state = EditStatusReader.StateOf(metadata, null, logger);
        return state.Status switch
        {
            EditStatuses.Pending or EditStatuses.Running => state.Stage ?? Stages.Queued,
            EditStatuses.Canceled => EditStatuses.Canceled,
            _ => Ended,
        };
    }

    private sealed record Input(string Name, string JobId);

    private sealed record FailureItem(string Name, DateTimeOffset LastModified, string? Code, string? Stage);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Batch {Prefix}: {Total} images, {Completed} completed, {Failed} failed, {InProgress} in progress ({Milliseconds} ms)")]
    private static partial void LogCounted(ILogger logger, string prefix, int total, int completed, int failed, int inProgress, double milliseconds);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Could not read the failure record {Record}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string record, string reason);
}
