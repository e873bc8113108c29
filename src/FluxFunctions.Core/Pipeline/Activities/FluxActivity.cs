using FluxFunctions.Core.Telemetry;
using Microsoft.DurableTask;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Base of the pipeline's activities. Both hosts call <see cref="InvokeAsync"/>: the self-hosted runner through
/// <see cref="TaskActivity{TInput,TOutput}"/>, the Functions app from a one-line <c>[ActivityTrigger]</c> wrapper. It
/// traces the stage (a span with job id, tool and model) around <see cref="ExecuteAsync"/>, where the logic lives.
/// Permanent problems are returned in the output (never thrown, so never retried); transient ones are thrown and
/// retried by the orchestration's durable retry policy.
/// </summary>
public abstract class FluxActivity<TInput, TOutput> : TaskActivity<TInput, TOutput>
{
    /// <inheritdoc />
    public sealed override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) =>
        InvokeAsync(input ?? throw new ArgumentNullException(nameof(input)), context?.InstanceId, CancellationToken.None);

    /// <summary>Runs the activity inside its stage span.</summary>
    /// <param name="input">The activity input.</param>
    /// <param name="instanceId">The orchestration instance (the job id), when the host knows it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<TOutput> InvokeAsync(TInput input, string? instanceId, CancellationToken cancellationToken)
    {
        using var span = FluxTelemetry.StartStage(GetType().Name, input, instanceId);
        try
        {
            var output = await ExecuteAsync(input, cancellationToken).ConfigureAwait(false);
            FluxTelemetry.Complete(span, output);
            return output;
        }
        catch (Exception ex)
        {
            FluxTelemetry.Fail(span, ex);
            throw;
        }
    }

    /// <summary>The activity's work.</summary>
    public abstract Task<TOutput> ExecuteAsync(TInput input, CancellationToken cancellationToken);
}
