using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The JSON of the API's answers and of completion callbacks (camelCase, enums as strings, nulls omitted, quotes and
/// non-ASCII text as they are): one definition, so a callback's body is exactly what <c>GET /api/edits/{id}</c> returns.
/// </summary>
public static class EditJson
{
    /// <summary>
    /// Read-only from the start, with its resolver set: ASP.NET Core's <c>Results.Json</c> sets the resolver of options
    /// that are not read-only yet, and two first answers racing one another's first serialization made one of them a 500
    /// ("This JsonSerializerOptions instance is read-only").
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
