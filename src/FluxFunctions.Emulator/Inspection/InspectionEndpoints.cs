using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// <c>/emulator/requests</c> (GET the recorded requests, DELETE to clear), <c>/emulator/stats</c> (GET counters, DELETE to
/// reset) and <c>/emulator/health</c>. No authentication: the emulator is a local test tool.
/// </summary>
internal static class InspectionEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void MapInspection(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/emulator/requests", (RequestRecorder recorder) =>
            Json(new JsonArray([.. recorder.Snapshot().Select(r => (JsonNode)r.ToJson())])));
        endpoints.MapDelete("/emulator/requests", (RequestRecorder recorder) =>
        {
            recorder.Clear();
            return Results.NoContent();
        });
        endpoints.MapGet("/emulator/stats", (EmulatorStats stats) => Json(stats.ToJson()));
        endpoints.MapDelete("/emulator/stats", (EmulatorStats stats) =>
        {
            stats.Reset();
            return Results.NoContent();
        });
        endpoints.MapGet("/emulator/health", () => Json(new JsonObject { ["status"] = "ok" }));
    }

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(JsonOutput.Options), "application/json");
}
