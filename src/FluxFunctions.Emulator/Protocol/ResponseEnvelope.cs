using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// One task's outcome as a response envelope of its own, as getTaskDetails reports it and a per-task webhook posts it:
/// <c>{"data":[...]}</c> when the task succeeded, <c>{"errors":[...]}</c> when it failed (plus <c>data</c> when some
/// results succeeded and others did not).
/// </summary>
internal static class ResponseEnvelope
{
    /// <summary>The envelope of an outcome (entries are copied; the outcome is not changed).</summary>
    public static JsonObject Of(TaskOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var envelope = new JsonObject();
        if (outcome.Errors.Count > 0)
        {
            envelope["errors"] = new JsonArray([.. outcome.Errors.Select(e => (JsonNode)e.ToJson())]);
        }

        if (outcome.Errors.Count == 0 || outcome.Data.Count > 0)
        {
            envelope["data"] = new JsonArray([.. outcome.Data.Select(d => d.DeepClone())]);
        }

        return envelope;
    }
}
