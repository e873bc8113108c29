using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>What handling one task produced: an outcome now, or a sync inference whose result the request awaits.</summary>
/// <param name="Outcome">The outcome, when it is known at once.</param>
/// <param name="AwaitedJob">A sync inference the answer waits for.</param>
internal sealed record HandledTask(TaskOutcome? Outcome, InferenceJob? AwaitedJob)
{
    /// <summary>A finished task.</summary>
    public static HandledTask Done(TaskOutcome outcome) => new(outcome, null);

    /// <summary>A task whose errors reject it.</summary>
    public static HandledTask Rejected(TaskFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new(TaskOutcome.Reject(fields.Errors), null);
    }
}

/// <summary>Validates and runs one task type.</summary>
internal interface ITaskHandler
{
    /// <summary>The task type served.</summary>
    string TaskType { get; }

    /// <summary>Validates the task (errors go to <paramref name="fields"/>) and runs it.</summary>
    /// <param name="fields">The task's fields, possibly already holding header errors.</param>
    /// <param name="header">The valid header, or null when taskUUID is invalid.</param>
    /// <param name="context">The carrying HTTP request.</param>
    /// <param name="cancellationToken">Ends when the client disconnects or the emulator stops.</param>
    Task<HandledTask> HandleAsync(TaskFields fields, TaskHeader? header, RequestContext context, CancellationToken cancellationToken);
}
