namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Raises an external event on a job's orchestration from inside this host: an inference result the
/// <see cref="InferenceWatcher"/> saw, or a free inference slot (<see cref="InferenceSlots"/>). The self-hosted runner
/// registers one over its durable client. The Functions app has no durable client outside its trigger bindings and
/// registers none: its orchestrations poll <c>getResponse</c> and retry busy submissions on durable timers instead (or
/// take Runware's webhooks).
/// </summary>
public interface IOrchestrationEvents
{
    Task RaiseAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken);
}
