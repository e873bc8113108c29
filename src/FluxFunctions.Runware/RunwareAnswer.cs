using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FluxFunctions.Runware;

/// <summary>One parsed Runware answer: its HTTP status, the <c>data</c> entries and the <c>errors</c>.</summary>
public sealed record RunwareAnswer(int StatusCode, IReadOnlyList<JsonObject> Data, IReadOnlyList<RunwareAnswerError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>An entry of <c>errors</c> plus its <c>status</c> field (getResponse marks failed generations with it).</summary>
public sealed record RunwareAnswerError(RunwareError Error, string? Status)
{
    /// <summary>True when the entry reports a failed generation of an inference rather than a refused request.</summary>
    public bool IsGenerationError =>
        string.Equals(Status, "error", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Error.TaskType, "imageInference", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Reads Runware's answers leniently: <c>data</c> as an array (or a single object), <c>errors</c> as an array (or a
/// single object, or the older <c>error</c>/<c>errorMessage</c>/<c>errorCode</c> fields); numbers given as strings are
/// accepted. Anything that is not a JSON object (or array) is malformed and throws <see cref="JsonException"/>.
/// </summary>
public static class RunwareAnswerParser
{
    public static RunwareAnswer Parse(int statusCode, string body, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(redactor);

        var root = JsonNode.Parse(body) ?? throw new JsonException("The answer is JSON null.");
        switch (root)
        {
            case JsonArray array:
                return new RunwareAnswer(statusCode, Objects(array), []);
            case JsonObject obj:
                var data = obj["data"] switch
                {
                    JsonArray a => Objects(a),
                    JsonObject o => [o],
                    null => [],
                    _ => throw new JsonException("'data' is neither an array nor an object."),
                };
                var errors = new List<RunwareAnswerError>();
                switch (obj["errors"])
                {
                    case JsonArray a:
                        errors.AddRange(Objects(a).Select(e => ReadError(e, redactor)));
                        break;
                    case JsonObject o:
                        errors.Add(ReadError(o, redactor));
                        break;
                }

                if (errors.Count == 0 && obj["error"] is JsonNode legacy && !IsFalse(legacy))
                {
                    errors.Add(ReadError(legacy as JsonObject ?? obj, redactor));
                }

                return new RunwareAnswer(statusCode, data, errors);
            default:
                throw new JsonException("The answer is not a JSON object.");
        }
    }

    public static string? String(JsonObject obj, string name) => obj[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    public static long? Long(JsonObject obj, string name) => obj[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };

    public static double? Double(JsonObject obj, string name) => obj[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    public static bool? Bool(JsonObject obj, string name) => obj[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var b) => b,
        _ => null,
    };

    private static List<JsonObject> Objects(JsonArray array) => [.. array.OfType<JsonObject>()];

    private static bool IsFalse(JsonNode node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.False;

    private static RunwareAnswerError ReadError(JsonObject e, SecretRedactor redactor)
    {
        var code = String(e, "code") ?? String(e, "errorCode") ?? (e["error"] is JsonValue ev && ev.TryGetValue<string>(out var s) ? s : null) ?? "unknownError";
        var message = String(e, "message") ?? String(e, "errorMessage") ?? code;
        var error = new RunwareError(
            redactor.Redact(code),
            redactor.Redact(message),
            redactor.RedactOrNull(String(e, "parameter") ?? String(e, "param")),
            String(e, "taskType"),
            String(e, "taskUUID"));
        return new RunwareAnswerError(error, String(e, "status"));
    }
}
