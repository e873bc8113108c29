using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FluxFunctions.Core.Jobs;

/// <summary>
/// The JSON of the API's answers and of completion callbacks (camelCase, enums as strings, nulls omitted, quotes and
/// non-ASCII text as they are): one definition, so a callback's body is exactly what <c>GET /api/edits/{id}</c> returns.
/// </summary>
public static class EditJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
