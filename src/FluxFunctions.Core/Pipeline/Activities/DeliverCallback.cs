using FluxFunctions.Core.Callbacks;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// One attempt to POST a job's final status to its <c>callbackUrl</c>, signed. Never throws for the receiver's answer:
/// the orchestration decides about retries and back-off (<see cref="CompletionCallback"/>).
/// </summary>
public sealed class DeliverCallback(CallbackSender sender) : FluxActivity<DeliverCallbackInput, CallbackAttempt>
{
    public override Task<CallbackAttempt> ExecuteAsync(DeliverCallbackInput input, CancellationToken cancellationToken) =>
        sender.SendAsync(input, cancellationToken);
}
