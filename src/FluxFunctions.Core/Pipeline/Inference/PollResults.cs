using FluxFunctions.Errors;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>One <c>getResponse</c> answer as the orchestration sees it, the same for a durable poll and the watcher.</summary>
public static class PollResults
{
    /// <summary>The generations on success, a specific error on failure, else the status (with the evidence of silence).</summary>
    public static PollInferenceResult From(InferencePoll poll)
    {
        ArgumentNullException.ThrowIfNull(poll);
        return poll.Status switch
        {
            PollStatus.Success => new PollInferenceResult(PollStatus.Success, poll.Images.Select(i => new GeneratedResult(i.ImageUUID, i.ImageURL, i.Seed, i.Cost, i.NSFWContent == true)).ToList(), null),
            PollStatus.Error => PollInferenceResult.Failed(SafetyRefusals.ToFluxError(poll.Error?.Code ?? RunwareErrorCodes.InferenceFailed, poll.Error?.Message ?? "Runware reported an error for the inference.", poll.Error?.Parameter)),
            _ => new PollInferenceResult(poll.Status, [], null, poll.Evidence),
        };
    }
}
