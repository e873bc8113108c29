using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Protocol;
using FluxFunctions.Emulator.Tasks;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// <c>/emulator/safety</c>: GET the content check switch in force (<c>{"flagEvery":2,"flaggedAnswer":"flag"}</c>), PUT the
/// same shape to change it at run time (a field left out keeps its value), DELETE to go back to <c>Emulator:FlagEvery</c>
/// and <c>Emulator:FlaggedAnswer</c>.
/// </summary>
internal static class SafetyEndpoints
{
    public static void MapSafetySwitch(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapSwitch<SafetySwitch>("/emulator/safety", "invalidSafetySwitch", ToJson, Change, safety => safety.Restore());

    private static string? Change(SafetySwitch safety, JsonObject? body)
    {
        var every = safety.FlagEvery;
        var answer = safety.Answer;
        var ok = body is not null && body.All(p => p.Key is "flagEvery" or "flaggedAnswer");
        if (ok && body!["flagEvery"] is { } e)
        {
            ok = e is JsonValue v && v.TryGetValue<int>(out every) && every is >= 0 and <= 1000;
        }

        if (ok && body!["flaggedAnswer"] is { } a)
        {
            ok = a is JsonValue v && v.TryGetValue<string>(out var name) && FlaggedAnswers.Names.TryParse(name, out answer);
        }

        if (!ok)
        {
            return $"Send {{\"flagEvery\":0..1000,\"flaggedAnswer\":\"{FlaggedAnswers.Names.Accepted}\"}}, e.g. {{\"flagEvery\":2}}.";
        }

        safety.Replace(every, answer);
        return null;
    }

    private static JsonObject ToJson(SafetySwitch safety) => new()
    {
        ["flagEvery"] = safety.FlagEvery,
        ["flaggedAnswer"] = FlaggedAnswers.Names.Name(safety.Answer),
    };
}
