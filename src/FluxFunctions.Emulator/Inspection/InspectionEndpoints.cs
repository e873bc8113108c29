using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Faults;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// <c>/emulator/requests</c> (GET the recorded requests, DELETE to clear), <c>/emulator/stats</c> (GET counters, DELETE to
/// reset), <c>/emulator/faults</c> (GET the fault rates in force, PUT <c>{"faults":"500:1"}</c> to change them at run
/// time, DELETE to go back to <c>Emulator:Faults</c>; <see cref="InspectionAnswers.MapSwitch"/>), <c>/emulator/safety</c> (<see cref="SafetyEndpoints"/>), <c>/emulator/network</c> (<see cref="NetworkEndpoints"/>), <c>/emulator/dialect</c> (GET the answers in force where Runware's
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
        endpoints.MapSwitch<FaultInjector>("/emulator/faults", "invalidFaults", faults => new JsonObject { ["faults"] = faults.Plan.ToString() }, ChangeFaults, faults => faults.Restore());
        endpoints.MapSafetySwitch();
        endpoints.MapNetworkSwitch();
        endpoints.MapGet("/emulator/dialect", (Dialect dialect) => Json(dialect.ToJson()));
        endpoints.MapGet("/emulator/health", () => Json(new JsonObject { ["status"] = "ok" }));
    }

    private static IResult Json(JsonNode node) => InspectionAnswers.Json(node);

    /// <summary>A PUT of <c>{"faults":"500:1"}</c>: the new rates, or what to send instead.</summary>
    private static string? ChangeFaults(FaultInjector faults, JsonObject? body)
    {
        var text = body?["faults"] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
        if (text is null)
        {
            return "Send {\"faults\":\"kind:rate,...\"}, e.g. {\"faults\":\"500:1\"}.";
        }

        if (!FaultPlan.TryParse(text, out var plan, out var error))
        {
            return error ?? "Send {\"faults\":\"kind:rate,...\"}, e.g. {\"faults\":\"500:1\"}.";
        }

        faults.Replace(plan);
        return null;
    }
}
