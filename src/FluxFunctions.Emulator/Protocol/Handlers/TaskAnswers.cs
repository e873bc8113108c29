using System.Text.Json;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;
using FluxFunctions.Emulator.Webhooks;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>
/// What follows the answer of a task answered at once (imageUpload, controlNetPreprocess): its response envelope is kept
/// for getTaskDetails (long strings elided), and its webhook is posted.
/// </summary>
internal sealed class TaskAnswers(TaskRegistry registry, WebhookPublisher webhooks)
{
    /// <summary>Records and publishes the outcome; returns it.</summary>
    public TaskOutcome Answered(TaskHeader header, TaskOutcome outcome, Uri? webhookUrl)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(outcome);
        if (registry.TryGet(header.TaskUuid, out var task))
        {
            using var envelope = JsonDocument.Parse(ResponseEnvelope.Of(outcome).ToJsonString(JsonOutput.Options));
            task.Answered(JsonRedactor.ForTaskDetails(envelope.RootElement)!.ToJsonString(JsonOutput.Options));
        }

        if (webhookUrl is { } url)
        {
            webhooks.Publish(url, header.TaskUuidText, outcome);
        }

        return outcome;
    }
}
