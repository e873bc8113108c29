using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// Makes copies of JSON that the emulator keeps, with secrets out and memory bounded: every <c>apiKey</c> field becomes
/// <c>***</c>. For <c>GET /emulator/requests</c>, strings over 300 characters (base64 images) become
/// <c>"&lt;first 40 chars&gt;…(N chars)"</c>; for <c>getTaskDetails</c> they become <c>"&lt;elided: N chars&gt;"</c> and the
/// query of an http(s) URL (a SAS token, a webhook's secret) becomes <c>?&lt;redacted&gt;</c>.
/// </summary>
internal static class JsonRedactor
{
    /// <summary>Strings longer than this are shortened.</summary>
    public const int LongString = 300;

    /// <summary>How much of a long string is kept.</summary>
    public const int KeptPrefix = 40;

    /// <summary>The redacted copy of a parsed body, as <c>GET /emulator/requests</c> shows it.</summary>
    public static JsonNode? Redact(JsonElement element) => Copy(element, null, static text => Shorten(text));

    /// <summary>The redacted copy of a task or answer, as <c>getTaskDetails</c> reports it.</summary>
    public static JsonNode? ForTaskDetails(JsonElement element) => Copy(element, null, ElideOrRedactUrl);

    /// <summary>A long string as <c>&lt;elided: N chars&gt;</c>; an http(s) URL without its query; other strings as they are.</summary>
    public static string ElideOrRedactUrl(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > LongString)
        {
            return $"<elided: {value.Length.ToString(CultureInfo.InvariantCulture)} chars>";
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Query.Length > 1
            ? url.GetLeftPart(UriPartial.Path) + "?<redacted>"
            : value;
    }

    private static JsonNode? Copy(JsonElement element, string? propertyName, Func<string, string> text)
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
                    obj[property.Name] = Copy(property.Value, property.Name, text);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Copy(item, null, text));
                }

                return array;
            case JsonValueKind.String:
                return JsonValue.Create(text(element.GetString() ?? string.Empty));
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
