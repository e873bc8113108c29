using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Jobs;

/// <summary>What a blob notification led to.</summary>
public enum DropOutcome
{
    /// <summary>A new job was started.</summary>
    Started,

    /// <summary>The job for this upload already exists (a re-delivered notification).</summary>
    AlreadyStarted,

    /// <summary>A companion arrived; waiting jobs were told.</summary>
    CompanionNotified,

    /// <summary>The blob can never be a job (unknown tool folder, bad name); a failure record says why.</summary>
    Rejected,

    /// <summary>Not ours (other extensions, folder markers).</summary>
    Ignored,
}

/// <summary>
/// Turns "a blob appeared in the input container" into the right action, identically for the Functions blob trigger
/// and the runner's container watcher: images start a job (once per upload, by name and ETag), companions wake the job
/// waiting for them, and names that can never work get a failure record naming the reason. Inputs are never changed.
/// </summary>
public sealed partial class DropDispatcher(FluxStorage storage, JobStarter starter, JobSettingsFactory settings, ILogger<DropDispatcher> logger)
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".PNG", ".JPG", ".JPEG", ".WEBP"];

    /// <summary>Handles one blob of the input container at one version.</summary>
    public async Task<DropOutcome> HandleAsync(DurableTaskClient client, string blobName, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(blobName);
        ArgumentNullException.ThrowIfNull(etag);
        var container = storage.Options.InputContainer;
        if (!DropName.TryParse(blobName, out var drop, out var nameError))
        {
            await RejectAsync(blobName, etag, BlobNames.Printable(blobName).Replace('/', '_'), nameError!, cancellationToken).ConfigureAwait(false);
            return DropOutcome.Rejected;
        }

        switch (drop.Kind)
        {
            case DropKind.Ignored:
                return DropOutcome.Ignored;
            case DropKind.Options when FolderDefaults.IsDefaults(blobName):
                // A folder's defaults start nothing; jobs still waiting for options find them at their final check.
                return DropOutcome.Ignored;
            case DropKind.Mask:
            case DropKind.Options:
            case DropKind.Reference:
                return await NotifyCompanionAsync(client, drop, cancellationToken).ConfigureAwait(false) ? DropOutcome.CompanionNotified : DropOutcome.Ignored;
        }

        if (drop.Tool is null)
        {
            var folder = drop.ToolFolder.Length == 0 ? "the container root" : $"the folder '{BlobNames.Printable(drop.ToolFolder)}'";
            await RejectAsync(blobName, etag, drop.BaseName, new FluxError(ErrorCodes.UnknownTool, $"'{BlobNames.Printable(blobName)}' is in {folder}, which names no tool: drop images under {FluxTools.Known} (e.g. fill/photo.png).", "tool"), cancellationToken).ConfigureAwait(false);
            return DropOutcome.Rejected;
        }

        var job = new JobRequest
        {
            JobId = JobIds.ForBlob(container, blobName, etag),
            Origin = JobOrigin.Blob,
            Image = new BlobRef(container, blobName, etag),
            BaseName = drop.BaseName,
            MaskCompanion = drop.MaskName,
            ReferenceCompanion = drop.ReferenceName,
            OptionsCompanion = drop.OptionsName,
            CreatedAt = DateTimeOffset.UtcNow,
            Settings = settings.Create(),
        };
        return await starter.StartOnceAsync(client, job, cancellationToken).ConfigureAwait(false) ? DropOutcome.Started : DropOutcome.AlreadyStarted;
    }

    /// <summary>Raises the companion event on the running jobs of the images next to a companion.</summary>
    private async Task<bool> NotifyCompanionAsync(DurableTaskClient client, DropName companion, CancellationToken cancellationToken)
    {
        var notified = false;
        var container = storage.Inputs;
        await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = companion.BaseName + "." }, cancellationToken).ConfigureAwait(false))
        {
            var rest = item.Name[companion.BaseName.Length..];
            if (!ImageExtensions.Contains(rest, StringComparer.Ordinal))
            {
                continue;
            }

            var jobId = JobIds.ForBlob(storage.Options.InputContainer, item.Name, item.Properties.ETag?.ToString() ?? "");
            var instance = await client.GetInstanceAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending })
            {
                await client.RaiseEventAsync(jobId, EditOrchestrator.CompanionEvent, companion.BlobName, cancellationToken).ConfigureAwait(false);
                LogCompanion(logger, companion.BlobName, jobId);
                notified = true;
            }
        }

        return notified;
    }

    private async Task RejectAsync(string blobName, string etag, string baseName, FluxError error, CancellationToken cancellationToken)
    {
        var jobId = JobIds.ForBlob(storage.Options.InputContainer, blobName, etag);
        var record = new JsonObject
        {
            ["schemaVersion"] = JobRecords.SchemaVersion,
            ["jobId"] = jobId,
            ["status"] = "failed",
            ["tool"] = null,
            ["error"] = new JsonObject { ["code"] = error.Code, ["message"] = error.Message, ["parameter"] = error.Parameter },
            ["stage"] = Stages.Queued,
            ["attempts"] = new JsonObject(),
            ["source"] = new JsonObject { ["origin"] = "blob", ["container"] = storage.Options.InputContainer, ["blob"] = blobName, ["etag"] = etag },
            ["failedAt"] = DateTimeOffset.UtcNow,
        };
        var path = OutputLayout.FailureRecord(SafeBase(baseName), jobId);
        var written = await storage.WriteOnceAsync(new BlobRef(storage.Options.FailedContainer, path), Encoding.UTF8.GetBytes(record.ToJsonString(JobRecords.JsonOptions)), "application/json", JobRecords.FailureMetadata(error, Stages.Queued), cancellationToken).ConfigureAwait(false);
        if (written)
        {
            LogRejected(logger, BlobNames.Printable(blobName), error.Code, error.Message);
        }
    }

    private static string SafeBase(string baseName) =>
        BlobNames.Check(baseName, "name") is null ? baseName : "_invalid/" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(baseName)))[..16];

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Companion {Blob} arrived for job {JobId}")]
    private static partial void LogCompanion(ILogger logger, string blob, string jobId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Rejected drop {Blob}: {Code} {Message}")]
    private static partial void LogRejected(ILogger logger, string blob, string code, string message);
}
