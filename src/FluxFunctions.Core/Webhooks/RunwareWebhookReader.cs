using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Webhooks;

/// <summary>
/// Reads the body of one of Runware's webhook posts leniently: a task's result entry or error object (as the emulator
/// and Runware post them, one per generation), an answer-shaped <c>{"data": [...], "errors": [...]}</c>, or an array
/// of entries. Every entry must name the same taskUUID. Returns null for anything else.
/// </summary>
internal static class RunwareWebhookReader
{
    private static readonly string[] ErrorFields = ["code", "errorCode", "errorMessage", "error"];

    public static RunwareWebhookEvent? Read(string body, SecretRedactor redactor)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        var answerJson = root switch
        {
            JsonObject o when o.ContainsKey("data") || o.ContainsKey("errors") => body,
            JsonObject o when IsError(o) => new JsonObject { ["errors"] = new JsonArray(o.DeepClone()) }.ToJsonString(),
            JsonObject o => new JsonObject { ["data"] = new JsonArray(o.DeepClone()) }.ToJsonString(),
            JsonArray => body,
            _ => null,
        };
        if (answerJson is null)
        {
            return null;
        }

        RunwareAnswer answer;
        try
        {
            answer = RunwareAnswerParser.Parse(200, answerJson, redactor);
        }
        catch (JsonException)
        {
            return null;
        }

        var uuids = answer.Data.Select(d => RunwareAnswerParser.String(d, "taskUUID"))
            .Concat(answer.Errors.Select(e => e.Error.TaskUUID))
            .ToList();
        if (uuids.Count == 0 || uuids.Any(u => u is null))
        {
            return null;
        }

        var distinct = uuids.Select(u => u!.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count != 1 || !Guid.TryParse(distinct[0], out _))
        {
            return null;
        }

        var taskUuid = distinct[0];
        var poll = InferencePollReader.Read(answer, taskUuid, int.MaxValue);
        if (poll.Status == PollStatus.Silent)
        {
            return null;
        }

        var images = poll.Images.Select(i => new GeneratedResult(i.ImageUUID, i.ImageURL, i.Seed, i.Cost, i.NSFWContent == true)).ToList();
        FluxError? error = poll.Status switch
        {
            PollStatus.Error => SafetyRefusals.ToFluxError(poll.Error?.Code ?? RunwareErrorCodes.InferenceFailed, poll.Error?.Message ?? "Runware reported an error for the inference.", poll.Error?.Parameter),
            _ => null,
        };
        return new RunwareWebhookEvent(taskUuid, images, error);
    }

    private static bool IsError(JsonObject entry) =>
        entry["imageUUID"] is null && entry["imageURL"] is null && ErrorFields.Any(entry.ContainsKey);
}
