using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// What the inspection routes share: their JSON answers, and for the run-time switches (<c>/emulator/faults</c>,
/// <c>/emulator/safety</c>, <c>/emulator/network</c>) reading the JSON object a PUT sends and refusing a wrong one.
/// </summary>
internal static class InspectionAnswers
{
    /// <summary>The JSON object the request's body holds; null when it holds anything else or no valid JSON.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>HTTP 400 with one error of <paramref name="code"/> whose message says what to send.</summary>
    public static IResult Invalid(string code, string message) => Results.Text(
        new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) }.ToJsonString(JsonOutput.Options),
        "application/json",
        statusCode: StatusCodes.Status400BadRequest);

    /// <summary>HTTP 200 with <paramref name="node"/>.</summary>
    public static IResult Json(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Results.Text(node.ToJsonString(JsonOutput.Options), "application/json");
    }
}
