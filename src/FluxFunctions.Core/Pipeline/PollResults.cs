using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>One <c>getResponse</c> answer as the orchestration sees it, the same for a durable poll and the watcher.</summary>
public static class PollResults
{
    /// <summary>"success" with the generations, "error" with a specific error, or "processing".</summary>
    public static PollInferenceResult From(InferencePoll poll, string taskUuid)
    {
        ArgumentNullException.ThrowIfNull(poll);
        return poll.Status switch
        {
            PollStatus.Success => new PollInferenceResult("success", poll.Images.Select(i => new GeneratedResult(i.ImageUUID, i.ImageURL, i.Seed, i.Cost)).ToList(), null),
            PollStatus.Error => new PollInferenceResult("error", [], new FluxError(poll.Error?.Code ?? "inferenceFailed", poll.Error?.Message ?? "Runware reported an error for the inference.", poll.Error?.Parameter)),
            PollStatus.Unknown => new PollInferenceResult("error", [], new FluxError("taskNotFound", $"Runware no longer knows task {taskUuid}; its result may have expired.")),
            _ => new PollInferenceResult("processing", [], null),
        };
    }
}
