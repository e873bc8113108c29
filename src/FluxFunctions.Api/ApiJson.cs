using System.Text.Json;
using System.Text.Json.Serialization;

namespace FluxFunctions.Api;

/// <summary>JSON settings of every API answer (camelCase, enums as strings, nulls omitted).</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
