using FluxFunctions.Errors;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// What one of Runware's webhook posts reported, raised as a durable external event on the job's orchestration
/// (<see cref="Name"/>): finished generations of the task, or its error.
/// </summary>
/// <param name="TaskUuid">The inference task.</param>
/// <param name="Images">Generations reported by this post (one per post for Runware; duplicates are possible).</param>
/// <param name="Error">The task failed.</param>
public sealed record RunwareWebhookEvent(string TaskUuid, IReadOnlyList<GeneratedResult> Images, FluxError? Error)
{
    /// <summary>The event name for one task: results of an earlier (resubmitted) task never reach a later wait.</summary>
    public static string Name(string taskUuid)
    {
        ArgumentNullException.ThrowIfNull(taskUuid);
        return "runware-result:" + taskUuid.ToLowerInvariant();
    }
}
