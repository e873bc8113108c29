using System.Text.Json;
using FluxFunctions.Core.Pipeline;

namespace FluxFunctions.Api;

/// <summary>
/// JSON settings of every API answer (camelCase, enums as strings, nulls omitted). Answers are application/json or
/// problem+json, never HTML, so quotes and non-ASCII text are written as they are (readable with curl). The same
/// settings as completion callbacks (<see cref="EditJson"/>).
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options => EditJson.Options;
}
