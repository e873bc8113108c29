using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// Makes a copy of a request body fit for <c>GET /emulator/requests</c>: every <c>apiKey</c> field becomes <c>***</c>, and
/// strings over 300 characters (base64 images) become <c>"&lt;first 40 chars&gt;…(N chars)"</c> so memory stays bounded.
/// </summary>
internal static class JsonRedactor
{
    /// <summary>Strings longer than this are shortened.</summary>
    public const int LongString = 300;

    /// <summary>How much of a long string is kept.</summary>
    public const int KeptPrefix = 40;

    /// <summary>The redacted copy of a parsed body.</summary>
    public static JsonNode? Redact(JsonElement element, string? propertyName = null)
    {
        if (propertyName is not null && string.Equals(propertyName, "apiKey", StringComparison.OrdinalIgnoreCase))
        {
            return JsonValue.Create("***");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = Redact(property.Value, property.Name);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Redact(item));
                }

                return array;
            case JsonValueKind.String:
                return JsonValue.Create(Shorten(element.GetString() ?? string.Empty));
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                return JsonNode.Parse(element.GetRawText());
        }
    }

    /// <summary>A body that is not JSON, as a shortened string.</summary>
    public static JsonNode RedactRaw(ReadOnlySpan<byte> body) =>
        JsonValue.Create(Shorten(Encoding.UTF8.GetString(body[..Math.Min(body.Length, 4 * LongString)]), body.Length));

    /// <summary>Shortens a long string to its first characters and its length.</summary>
    public static string Shorten(string value, long? totalLength = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = totalLength ?? value.Length;
        return length <= LongString && value.Length <= LongString
            ? value
            : string.Concat(value.AsSpan(0, Math.Min(KeptPrefix, value.Length)), "…(", length.ToString(CultureInfo.InvariantCulture), " chars)");
    }
}
