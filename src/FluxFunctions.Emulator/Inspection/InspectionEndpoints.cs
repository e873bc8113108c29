using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Faults;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// <c>/emulator/requests</c> (GET the recorded requests, DELETE to clear), <c>/emulator/stats</c> (GET counters, DELETE to
/// reset), <c>/emulator/faults</c> (GET the fault rates in force, PUT <c>{"faults":"500:1"}</c> to change them at run
/// time, DELETE to go back to <c>Emulator:Faults</c>), <c>/emulator/safety</c> (<see cref="SafetyEndpoints"/>), <c>/emulator/network</c> (<see cref="NetworkEndpoints"/>), <c>/emulator/dialect</c> (GET the answers in force where Runware's
/// docs are silent) and <c>/emulator/health</c>. No authentication: the emulator is a local test tool.
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
        endpoints.MapGet("/emulator/faults", (FaultInjector faults) => Json(new JsonObject { ["faults"] = faults.Plan.ToString() }));
        endpoints.MapPut("/emulator/faults", async (HttpRequest request, FaultInjector faults) =>
        {
            var body = await InspectionAnswers.ReadObjectAsync(request).ConfigureAwait(false);

            var text = body?["faults"] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
            FaultPlan? plan = null;
            string? error = null;
            if (text is null || !FaultPlan.TryParse(text, out plan, out error))
            {
                return InspectionAnswers.Invalid("invalidFaults", error ?? "Send {\"faults\":\"kind:rate,...\"}, e.g. {\"faults\":\"500:1\"}.");
            }

            faults.Replace(plan!);
            return Json(new JsonObject { ["faults"] = plan.ToString() });
        });
        endpoints.MapDelete("/emulator/faults", (FaultInjector faults) =>
        {
            faults.Restore();
            return Json(new JsonObject { ["faults"] = faults.Plan.ToString() });
        });
        endpoints.MapSafetySwitch();
        endpoints.MapNetworkSwitch();
        endpoints.MapGet("/emulator/dialect", (Dialect dialect) => Json(dialect.ToJson()));
        endpoints.MapGet("/emulator/health", () => Json(new JsonObject { ["status"] = "ok" }));
    }

    private static IResult Json(JsonNode node) => InspectionAnswers.Json(node);
}
