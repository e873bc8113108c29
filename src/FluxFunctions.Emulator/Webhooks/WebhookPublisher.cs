using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Webhooks;

/// <summary>
/// Turns a finished task's outcome into webhook POSTs in the shape of <c>Emulator:WebhookShape</c>: <c>perResult</c>, one
/// POST per result entry or error object (the bare object); <c>perTask</c>, one POST of the task's response envelope.
/// </summary>
internal sealed class WebhookPublisher(WebhookSender sender, Dialect dialect)
{
    /// <summary>Queues the POSTs reporting <paramref name="outcome"/> to <paramref name="url"/>.</summary>
    public void Publish(Uri url, string taskUuid, TaskOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(outcome);
        if (dialect.WebhookShape == WebhookShape.PerTask)
        {
            sender.Enqueue(new WebhookDelivery(url, taskUuid, ResponseEnvelope.Of(outcome)));
            return;
        }

        foreach (var entry in outcome.Data)
        {
            sender.Enqueue(new WebhookDelivery(url, taskUuid, entry.DeepClone().AsObject()));
        }

        foreach (var error in outcome.Errors)
        {
            sender.Enqueue(new WebhookDelivery(url, taskUuid, error.ToJson()));
        }
    }
}
