using System.Text.Json.Nodes;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// How one Runware inference of a job went (one per Fill crop, else one): the task as last submitted and its result.
/// Made by the orchestration's one-inference step; the manifest is written from the list of them.
/// </summary>
/// <param name="Crop">The crop (0 when the whole image was sent, and for the other tools).</param>
/// <param name="TaskUuid">The taskUUID of the last submission.</param>
/// <param name="Request">The task JSON as submitted (image references, never image bytes).</param>
/// <param name="Submitted">Accepted, AlreadyKnown or Rejected; null when never answered.</param>
/// <param name="Polls">getResponse polls of the last submission.</param>
/// <param name="Resubmissions">How often a transiently failed generation was submitted again.</param>
/// <param name="Result">The images, or the error.</param>
/// <param name="SilenceCheck">When the task showed no sign of life for <c>Flux__TaskSilenceSeconds</c>: what looking it up
/// and submitting it again under the same taskUUID gave (Accepted: submitted again; AlreadyKnown: Runware knew it).</param>
internal sealed record InferenceOutcome(int Crop, string TaskUuid, JsonObject Request, string? Submitted, int Polls, int Resubmissions, PollInferenceResult Result, string? SilenceCheck = null)
{
    public string? Model => (string?)Request["model"];

    /// <summary>Runware's cost for this task's images, when it reported one.</summary>
    public double? Cost => Result.Images.Aggregate((double?)null, (sum, i) => i.Cost is { } c ? (sum ?? 0) + c : sum);

    /// <summary>An entry of the manifest's <c>runware.tasks</c>.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["crop"] = Crop,
            ["taskUUID"] = TaskUuid,
            ["model"] = Model,
            ["submitted"] = Submitted,
            ["polls"] = Polls,
            ["status"] = System.Text.Json.JsonSerializer.SerializeToNode(Result.Status),
            ["cost"] = Cost,
            ["seeds"] = new JsonArray(Result.Images.Select(i => (JsonNode?)i.Seed).ToArray()),
            ["request"] = Request.DeepClone(),
        };
        if (Resubmissions > 0)
        {
            o["resubmissions"] = Resubmissions;
        }

        if (SilenceCheck is not null)
        {
            o["silenceCheck"] = SilenceCheck;
        }

        if (Result.Error is { } e)
        {
            o["error"] = new JsonObject { ["code"] = e.Code, ["message"] = e.Message, ["parameter"] = e.Parameter };
        }

        return o;
    }
}
