using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// What the inspection routes share: their JSON answers, and the GET/PUT/DELETE of the run-time switches
/// (<c>/emulator/faults</c>, <c>/emulator/safety</c>, <c>/emulator/network</c>: <see cref="MapSwitch"/>).
/// </summary>
internal static class InspectionAnswers
{
    /// <summary>The JSON object the request's body holds; null when it holds anything else or no valid JSON.</summary>
    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
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
    private static IResult Invalid(string code, string message) => Results.Text(
        new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) }.ToJsonString(JsonOutput.Options),
        "application/json",
        statusCode: StatusCodes.Status400BadRequest);

    /// <summary>
    /// Maps a run-time switch at <paramref name="path"/>: GET shows it, PUT a JSON object changes it (or answers HTTP 400
    /// <paramref name="invalidCode"/> with what <paramref name="change"/> says to send), DELETE goes back to the settings.
    /// </summary>
    /// <param name="show">The switch as GET, PUT and DELETE answer it.</param>
    /// <param name="change">Applies a PUT's body (null: not a JSON object) to the switch; null when it did, else what to send.</param>
    /// <param name="restore">Goes back to the settings.</param>
    public static void MapSwitch<TSwitch>(this IEndpointRouteBuilder endpoints, string path, string invalidCode, Func<TSwitch, JsonObject> show, Func<TSwitch, JsonObject?, string?> change, Action<TSwitch> restore)
        where TSwitch : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(path, (TSwitch current) => Json(show(current)));
        endpoints.MapPut(path, async (HttpRequest request, TSwitch current) =>
            change(current, await ReadObjectAsync(request).ConfigureAwait(false)) is { } send ? Invalid(invalidCode, send) : Json(show(current)));
        endpoints.MapDelete(path, (TSwitch current) =>
        {
            restore(current);
            return Json(show(current));
        });
    }

    /// <summary>HTTP 200 with <paramref name="node"/>.</summary>
    public static IResult Json(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Results.Text(node.ToJsonString(JsonOutput.Options), "application/json");
    }
}
