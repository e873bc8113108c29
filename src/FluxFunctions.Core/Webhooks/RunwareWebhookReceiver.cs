using System.Text.Json;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Runware;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Webhooks;

/// <summary>What became of one webhook post.</summary>
public enum WebhookReceipt
{
    /// <summary>Authentic and awaited: raised on the job's orchestration (HTTP 200).</summary>
    Accepted,

    /// <summary>Not a Runware result naming one taskUUID (HTTP 400).</summary>
    Unreadable,

    /// <summary>The token is not this job's token for this task: forged, or another job's (HTTP 401).</summary>
    Forged,

    /// <summary>Authentic, but no job waits for it any more: a replay after the result was taken, or a finished job (HTTP 401).</summary>
    NotAwaited,
}

/// <summary>
/// Receives Runware's webhook posts for both hosts: checks the per-job token against the job id in the path and the
/// taskUUID in the body (constant time), checks that the job still waits for an inference result, then raises
/// <see cref="RunwareWebhookEvent"/> on its orchestration and gives its inference slot back (whichever host took it). Rejected posts change nothing. A duplicate that arrives while the job still waits
/// is accepted and ignored by the orchestration (results are kept by imageUUID).
/// </summary>
public sealed partial class RunwareWebhookReceiver(
    RunwareWebhookTokens tokens,
    InferenceSlots slots,
    IOptions<RunwareOptions> runware,
    ILogger<RunwareWebhookReceiver> logger)
{
    /// <summary>Largest body read (Runware posts URLs, not image bytes).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly SecretRedactor redactor = new(runware.Value.ApiKey);

    public async Task<WebhookReceipt> ReceiveAsync(DurableTaskClient client, string jobId, string? token, string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(body);
        if (!JobIds.IsWellFormed(jobId))
        {
            LogForged(logger, "(malformed job id)");
            return WebhookReceipt.Forged;
        }

        var received = RunwareWebhookReader.Read(body, redactor);
        if (received is null)
        {
            LogUnreadable(logger, jobId);
            return WebhookReceipt.Unreadable;
        }

        if (!tokens.IsValid(jobId, received.TaskUuid, token))
        {
            LogForged(logger, jobId);
            return WebhookReceipt.Forged;
        }

        if (!await IsAwaitedAsync(client, jobId, cancellationToken).ConfigureAwait(false))
        {
            LogNotAwaited(logger, jobId, received.TaskUuid);
            return WebhookReceipt.NotAwaited;
        }

        if (received.Images.Count > 0 || received.Error is not null)
        {
            await client.RaiseEventAsync(jobId, RunwareWebhookEvent.Name(received.TaskUuid), received, cancellationToken).ConfigureAwait(false);
            await slots.ReleaseAsync(received.TaskUuid, cancellationToken).ConfigureAwait(false);
        }

        LogAccepted(logger, jobId, received.TaskUuid, received.Images.Count, received.Error?.Code);
        return WebhookReceipt.Accepted;
    }

    /// <summary>
    /// The job exists and may be waiting for this result: preparing (the preparing activity submits the first inference
    /// itself, so with a fast model the post can come before the orchestration records the next stage), submitting or
    /// inferring. From storing on the results were taken.
    /// </summary>
    private static async Task<bool> IsAwaitedAsync(DurableTaskClient client, string jobId, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (metadata is not { Name: nameof(EditOrchestrator), RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended }
            || metadata.SerializedCustomStatus is null)
        {
            return false;
        }

        try
        {
            return metadata.ReadCustomStatusAs<JobProgress>()?.Stage is Stages.Preparing or Stages.Submitting or Stages.Inferring;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1420, Level = LogLevel.Information, Message = "Runware webhook for job {JobId}, task {TaskUuid}: {Images} result(s), error {Code}")]
    private static partial void LogAccepted(ILogger logger, string jobId, string taskUuid, int images, string? code);

    [LoggerMessage(EventId = 1421, Level = LogLevel.Warning, Message = "Runware webhook for job {JobId} rejected: the token does not match")]
    private static partial void LogForged(ILogger logger, string jobId);

    [LoggerMessage(EventId = 1422, Level = LogLevel.Information, Message = "Runware webhook for job {JobId}, task {TaskUuid} rejected: the job no longer waits for it")]
    private static partial void LogNotAwaited(ILogger logger, string jobId, string taskUuid);

    [LoggerMessage(EventId = 1423, Level = LogLevel.Warning, Message = "Runware webhook for job {JobId} rejected: not a result naming one taskUUID")]
    private static partial void LogUnreadable(ILogger logger, string jobId);
}
