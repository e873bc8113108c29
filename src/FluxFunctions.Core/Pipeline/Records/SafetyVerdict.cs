using System.Text.Json.Nodes;
using FluxFunctions.Errors;
using FluxFunctions.Requests;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// What Runware's safety check said of a job's results: result <c>i</c> is flagged when Runware flagged image <c>i</c> of
/// any of its inferences (a Fill result stitched from crops is flagged when any crop's image is). Flags count only when
/// the job asked for a check (Runware sends <c>NSFWContent</c> only then).
/// </summary>
public static class SafetyVerdict
{
    /// <summary>The indices of the flagged results, ascending.</summary>
    public static IReadOnlyList<int> Flagged(SafetySpec safety, IReadOnlyList<InferenceOutcome> inferences)
    {
        ArgumentNullException.ThrowIfNull(safety);
        ArgumentNullException.ThrowIfNull(inferences);
        if (!safety.Enabled)
        {
            return [];
        }

        return [.. inferences
            .SelectMany(o => o.Result.Images.Select((image, index) => (image.Flagged, index)))
            .Where(r => r.Flagged)
            .Select(r => r.index)
            .Distinct()
            .Order()];
    }

    /// <summary>
    /// The flagged results that end the job before anything is stored: those of a job with <c>onFlagged: fail</c>
    /// (<see cref="Flagged"/>); none for the other policies.
    /// </summary>
    public static IReadOnlyList<int> FailingTheJob(SafetySpec safety, IReadOnlyList<InferenceOutcome> inferences)
    {
        ArgumentNullException.ThrowIfNull(safety);
        return safety.OnFlagged == SafetyAction.Fail ? Flagged(safety, inferences) : [];
    }

    /// <summary>The failure of a job with <c>onFlagged: fail</c> whose results were flagged; nothing of it is stored.</summary>
    public static FluxError Failure(IReadOnlyList<int> flagged, int results)
    {
        ArgumentNullException.ThrowIfNull(flagged);
        var which = results == 1 ? "the result" : $"result(s) {string.Join(", ", flagged)} of {results}";
        return new FluxError(
            ErrorCodes.ContentFlagged,
            $"Runware's safety check flagged {which} as potentially sensitive content (NSFWContent); with safety.onFlagged 'fail' nothing was stored.",
            "safety");
    }

    /// <summary>The manifest's <c>safety</c> section: the policy, the flagged results and where quarantined ones went.</summary>
    public static JsonObject ToJson(SafetySpec safety, IReadOnlyList<int> flagged, IEnumerable<string> quarantined)
    {
        ArgumentNullException.ThrowIfNull(safety);
        ArgumentNullException.ThrowIfNull(flagged);
        return new JsonObject
        {
            ["check"] = SafetySpec.Name(safety.Check),
            ["onFlagged"] = SafetySpec.Name(safety.OnFlagged),
            ["flagged"] = new JsonArray([.. flagged.Select(i => (JsonNode?)i)]),
            ["quarantined"] = new JsonArray([.. quarantined.Select(b => (JsonNode?)b)]),
        };
    }
}
