using System.Text.Json.Nodes;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Webhooks;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Submits the inference (async delivery) once a slot of <c>Flux__MaxConcurrentInferences</c> is free. Restart-safe: it
/// first asks Runware whether the taskUUID is already known (a crash after Runware accepted it, a retried activity) and
/// then does not submit, and pay for, it again. With webhooks on, the task gets its <c>webhookURL</c> here, so the
/// secret token never enters the orchestration's history or the manifest; without webhooks this host's
/// <see cref="InferenceWatcher"/> watches the task when it can. Turned away for want of a slot, the job is queued for one
/// when this host signals (<see cref="InferenceSlots.Signals"/>).
/// </summary>
public sealed class SubmitInference(IRunwareClient runware, InferenceSlots slots, InferenceTimings timings, RunwareWebhookTokens tokens, InferenceWatcher watcher) : FluxActivity<SubmitInferenceInput, SubmitInferenceResult>
{
    /// <summary>How long one attempt waits for a free slot before handing back to the orchestration.</summary>
    public static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(10);

    public override async Task<SubmitInferenceResult> ExecuteAsync(SubmitInferenceInput input, CancellationToken cancellationToken)
    {
        if (!await slots.TryAcquireAsync(input.TaskUuid, SlotWait, input.JobId, cancellationToken).ConfigureAwait(false))
        {
            return new SubmitInferenceResult(SubmitStatus.Busy, 0, null, Queued: slots.Signals);
        }

        try
        {
            var known = await runware.GetResponseAsync(input.TaskUuid, 1, cancellationToken).ConfigureAwait(false);
            if (known.Status != PollStatus.Unknown)
            {
                timings.Submitted(input.TaskUuid);
                return new SubmitInferenceResult(SubmitStatus.AlreadyKnown, timings.ExpectedMs(), null, Watch(input));
            }

            var task = JsonNode.Parse(input.TaskJson)!.AsObject();
            if (input.WebhookBaseUrl is { } webhookBase)
            {
                task["webhookURL"] = tokens.WebhookUrl(webhookBase, input.JobId, input.TaskUuid).AbsoluteUri;
            }

            var outcome = await runware.SubmitInferenceAsync(task, cancellationToken).ConfigureAwait(false);
            timings.Submitted(input.TaskUuid);
            return new SubmitInferenceResult(outcome == SubmitOutcome.Accepted ? SubmitStatus.Accepted : SubmitStatus.AlreadyKnown, timings.ExpectedMs(), null, Watch(input));
        }
        catch (PermanentFluxException ex)
        {
            slots.Release(input.TaskUuid);
            return new SubmitInferenceResult(SubmitStatus.Rejected, 0, ex.First);
        }
        catch
        {
            slots.Release(input.TaskUuid);
            throw;
        }
    }

    /// <summary>Watches the task in process unless Runware reports it by webhook.</summary>
    private bool Watch(SubmitInferenceInput input) =>
        input.WebhookBaseUrl is null && watcher.Watch(input.JobId, input.TaskUuid, input.ExpectedResults);
}
