using System.Text.Json.Nodes;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Webhooks;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Submits an inference whose slot is already held: by the <see cref="Activities.SubmitInference"/> activity, or by
/// <see cref="InferenceSlots"/> on a queued job's behalf the moment a slot is free. The first submission of a taskUUID
/// goes straight out; one in doubt (<see cref="SubmitInferenceInput.InDoubt"/>) is looked up first, and a duplicate
/// refusal reads as "already known" (<see cref="IRunwareClient.SubmitInferenceAsync"/>). With webhooks on, the task gets its <c>webhookURL</c> here, so the secret token never
/// enters the orchestration's history or the manifest; without webhooks this host's <see cref="InferenceWatcher"/>
/// watches the task when it can. The slot is given back when the submission fails.
/// </summary>
public sealed class InferenceSubmitter(IRunwareClient runware, InferenceSlots slots, InferenceTimings timings, RunwareWebhookTokens tokens, InferenceWatcher watcher)
{
    /// <summary>Submits <paramref name="input"/>; Rejected with the error when Runware refuses it for good.</summary>
    /// <exception cref="Exception">Transient failures (after the client's own retries), for the durable retry policy.</exception>
    public async Task<SubmitInferenceResult> SubmitHeldAsync(SubmitInferenceInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var task = JsonNode.Parse(input.TaskJson)!.AsObject();
            if (input.WebhookBaseUrl is { } webhookBase)
            {
                task["webhookURL"] = tokens.WebhookUrl(webhookBase, input.JobId, input.TaskUuid).AbsoluteUri;
            }

            var outcome = await runware.SubmitInferenceAsync(task, input.InDoubt, cancellationToken).ConfigureAwait(false);
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
