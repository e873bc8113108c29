using Microsoft.DurableTask;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Base of the pipeline's activities. The logic lives in <see cref="ExecuteAsync"/> so both hosts call the same code:
/// the self-hosted runner through <see cref="TaskActivity{TInput,TOutput}"/>, the Functions app from a one-line
/// <c>[ActivityTrigger]</c> wrapper. Permanent problems are returned in the output (never thrown, so never retried);
/// transient ones are thrown and retried by the orchestration's durable retry policy.
/// </summary>
public abstract class FluxActivity<TInput, TOutput> : TaskActivity<TInput, TOutput>
{
    /// <inheritdoc />
    public sealed override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) =>
        ExecuteAsync(input ?? throw new ArgumentNullException(nameof(input)), CancellationToken.None);

    /// <summary>Runs the activity.</summary>
    public abstract Task<TOutput> ExecuteAsync(TInput input, CancellationToken cancellationToken);
}
