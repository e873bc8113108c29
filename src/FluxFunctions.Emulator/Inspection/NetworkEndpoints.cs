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
        endpoints.MapGet("/emulator/network", (NetworkDistance network) => InspectionAnswers.Json(ToJson(network)));
        endpoints.MapPut("/emulator/network", async (HttpRequest request, NetworkDistance network) =>
        {
            var body = await InspectionAnswers.ReadObjectAsync(request).ConfigureAwait(false);

            var trip = 0;
            var ok = body is not null && body.Count == 1 && body["roundTripMs"] is JsonValue v && v.TryGetValue(out trip)
                && trip is >= 0 and <= NetworkDistance.MaxRoundTripMs;
            if (!ok)
            {
                return InspectionAnswers.Invalid("invalidNetworkSwitch", $"Send {{\"roundTripMs\":0..{NetworkDistance.MaxRoundTripMs}}}, e.g. {{\"roundTripMs\":50}}.");
            }

            network.Replace(trip);
            return InspectionAnswers.Json(ToJson(network));
        });
        endpoints.MapDelete("/emulator/network", (NetworkDistance network) =>
        {
            network.Restore();
            return InspectionAnswers.Json(ToJson(network));
        });
    }

    private static JsonObject ToJson(NetworkDistance network) => new() { ["roundTripMs"] = network.RoundTripMs };
}
