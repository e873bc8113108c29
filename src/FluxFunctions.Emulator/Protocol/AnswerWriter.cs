using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// Writes the answer of <c>POST /v1</c> from the tasks' outcomes: <c>{"data":[...]}</c>, with <c>errors</c> when a task has
/// any. Its status is 200 unless a task was rejected: then the status the rejections share (402, 403, 404), or 400 when
/// they differ.
/// </summary>
internal static class AnswerWriter
{
    /// <summary>The HTTP status of an answer made of these outcomes.</summary>
    public static int Status(IReadOnlyList<TaskOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var statuses = outcomes.Where(o => o.Rejected).Select(o => o.RejectionStatus).Distinct().ToList();
        return statuses.Count switch
        {
            0 => StatusCodes.Status200OK,
            1 => statuses[0],
            _ => StatusCodes.Status400BadRequest,
        };
    }

    /// <summary>Writes the answer.</summary>
    public static async Task WriteAsync(HttpResponse response, IReadOnlyList<TaskOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(outcomes);
        var data = new JsonArray();
        var errors = new JsonArray();
        foreach (var outcome in outcomes)
        {
            foreach (var entry in outcome.Data)
            {
                data.Add(entry);
            }

            foreach (var error in outcome.Errors)
            {
                errors.Add(error.ToJson());
            }
        }

        var answer = new JsonObject();
        if (errors.Count > 0)
        {
            answer["errors"] = errors;
        }

        answer["data"] = data;
        response.StatusCode = Status(outcomes);
        response.ContentType = "application/json";
        await response.WriteAsync(answer.ToJsonString(JsonOutput.Options), cancellationToken);
    }
}
