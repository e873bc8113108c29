using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>What one task contributes to the answer.</summary>
/// <param name="Data">Entries for the <c>data</c> array.</param>
/// <param name="Errors">Entries for the <c>errors</c> array.</param>
/// <param name="Rejected">True when the errors reject the task (the request answers an HTTP error); false for errors
/// that are a normal answer (a failed inference reported by <c>getResponse</c>, HTTP 200).</param>
/// <param name="RejectionStatus">The HTTP status a rejection asks for (400, or 402/403/404 for account and unknown-task
/// answers); see <see cref="AnswerWriter.Status"/>.</param>
internal sealed record TaskOutcome(IReadOnlyList<JsonObject> Data, IReadOnlyList<RunwareError> Errors, bool Rejected, int RejectionStatus = StatusCodes.Status400BadRequest)
{
    /// <summary>A successful task.</summary>
    public static TaskOutcome Ok(params JsonObject[] data) => new(data, [], false);

    /// <summary>A task rejected with these errors (HTTP 400).</summary>
    public static TaskOutcome Reject(IReadOnlyList<RunwareError> errors) => new([], errors, true);

    /// <summary>A task rejected with one error (HTTP 400 unless <paramref name="status"/> says otherwise).</summary>
    public static TaskOutcome Reject(RunwareError error, int status = StatusCodes.Status400BadRequest) => new([], [error], true, status);
}
