using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>One request as <c>GET /emulator/requests</c> shows it (API key redacted, long strings shortened).</summary>
internal sealed record RecordedRequest(
    long Seq,
    DateTimeOffset Time,
    string Method,
    string Path,
    int Status,
    string? Fault,
    IReadOnlyDictionary<string, string> Headers,
    JsonNode? Body)
{
    /// <summary>The JSON object served.</summary>
    public JsonObject ToJson()
    {
        var headers = new JsonObject();
        foreach (var (name, value) in Headers)
        {
            headers[name] = value;
        }

        return new JsonObject
        {
            ["seq"] = Seq,
            ["time"] = Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["method"] = Method,
            ["path"] = Path,
            ["status"] = Status,
            ["fault"] = Fault,
            ["headers"] = headers,
            ["body"] = Body?.DeepClone(),
        };
    }
}
