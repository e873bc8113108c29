using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// <c>/emulator/network</c>: GET the round trip in force (<c>{"roundTripMs":50}</c>), PUT the same shape to change it at
/// run time, DELETE to go back to <c>Emulator:RoundTripMs</c> (<see cref="NetworkDistance"/>).
/// </summary>
internal static class NetworkEndpoints
{
    public static void MapNetworkSwitch(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapSwitch<NetworkDistance>("/emulator/network", "invalidNetworkSwitch", ToJson, Change, network => network.Restore());

    private static string? Change(NetworkDistance network, JsonObject? body)
    {
        var trip = 0;
        if (body is not null && body.Count == 1 && body["roundTripMs"] is JsonValue v && v.TryGetValue(out trip)
            && trip is >= 0 and <= NetworkDistance.MaxRoundTripMs)
        {
            network.Replace(trip);
            return null;
        }

        return $"Send {{\"roundTripMs\":0..{NetworkDistance.MaxRoundTripMs}}}, e.g. {{\"roundTripMs\":50}}.";
    }

    private static JsonObject ToJson(NetworkDistance network) => new() { ["roundTripMs"] = network.RoundTripMs };
}
