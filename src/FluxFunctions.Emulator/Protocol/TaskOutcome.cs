using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>What one task contributes to the answer.</summary>
/// <param name="Data">Entries for the <c>data</c> array.</param>
/// <param name="Errors">Entries for the <c>errors</c> array.</param>
/// <param name="Rejected">True when the errors reject the task (the request answers HTTP 400); false for errors that are
/// a normal answer (a failed inference reported by <c>getResponse</c>, HTTP 200).</param>
internal sealed record TaskOutcome(IReadOnlyList<JsonObject> Data, IReadOnlyList<RunwareError> Errors, bool Rejected)
{
    /// <summary>A successful task.</summary>
    public static TaskOutcome Ok(params JsonObject[] data) => new(data, [], false);

    /// <summary>A task rejected with these errors (HTTP 400).</summary>
    public static TaskOutcome Reject(IReadOnlyList<RunwareError> errors) => new([], errors, true);

    /// <summary>A task rejected with one error (HTTP 400).</summary>
    public static TaskOutcome Reject(RunwareError error) => new([], [error], true);
}
