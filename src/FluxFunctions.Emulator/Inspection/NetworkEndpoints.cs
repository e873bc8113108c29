using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// <c>/emulator/network</c>: GET the round trip in force (<c>{"roundTripMs":50}</c>), PUT the same shape to change it at
/// run time, DELETE to go back to <c>Emulator:RoundTripMs</c> (<see cref="NetworkDistance"/>).
/// </summary>
internal static class NetworkEndpoints
{
    public static void MapNetworkSwitch(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/emulator/network", (NetworkDistance network) => Json(ToJson(network)));
        endpoints.MapPut("/emulator/network", async (HttpRequest request, NetworkDistance network) =>
        {
            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }

            var trip = 0;
            var ok = body is not null && body.Count == 1 && body["roundTripMs"] is JsonValue v && v.TryGetValue(out trip)
                && trip is >= 0 and <= NetworkDistance.MaxRoundTripMs;
            if (!ok)
            {
                return Results.Text(
                    new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = "invalidNetworkSwitch", ["message"] = $"Send {{\"roundTripMs\":0..{NetworkDistance.MaxRoundTripMs}}}, e.g. {{\"roundTripMs\":50}}." }) }.ToJsonString(JsonOutput.Options),
                    "application/json",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            network.Replace(trip);
            return Json(ToJson(network));
        });
        endpoints.MapDelete("/emulator/network", (NetworkDistance network) =>
        {
            network.Restore();
            return Json(ToJson(network));
        });
    }

    private static JsonObject ToJson(NetworkDistance network) => new() { ["roundTripMs"] = network.RoundTripMs };

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(JsonOutput.Options), "application/json");
}
