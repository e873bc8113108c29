using System.Collections.Frozen;
using System.Text.Json;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Validation;

/// <summary>
/// Runware's <c>safety</c> object of imageInference: <c>checkContent</c> (boolean; documented, old-docs api-reference and
/// every current model page), <c>mode</c> (<c>none</c>, <c>fast</c>, <c>full</c>; documented, old-docs api-reference:
/// it takes precedence over <c>checkContent</c>) and <c>checkInputs</c> (boolean; SDK only, sdk-python <c>ISafety</c>).
/// Anything else in it is unsupported. The answer: whether the results are checked (<c>NSFWContent</c> is then sent).
/// </summary>
internal static class SafetyReader
{
    private static readonly FrozenSet<string> Fields = FrozenSet.Create(StringComparer.Ordinal, "checkContent", "mode", "checkInputs");

    private static readonly IReadOnlyList<string> Modes = ["none", "fast", "full"];

    /// <summary>Whether the task asks for a content check; errors go to <paramref name="fields"/>.</summary>
    public static bool Read(TaskFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Raw("safety") is not { } safety || safety.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (safety.ValueKind != JsonValueKind.Object)
        {
            fields.Invalid("safety", $"Invalid value for 'safety': it must be an object {{checkContent, mode}}, got {TaskFields.Describe(safety)}.");
            return false;
        }

        fields.RejectUnknown(safety, Fields, "safety");
        var checkContent = Bool(fields, safety, "checkContent");
        Bool(fields, safety, "checkInputs");
        string? mode = null;
        if (safety.TryGetProperty("mode", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            mode = m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (mode is null || !Modes.Contains(mode, StringComparer.Ordinal))
            {
                fields.Add(ErrorCodes.InvalidFor("safety.mode"), "safety.mode", $"Invalid value for 'safety.mode': use one of {string.Join(", ", Modes)}.");
                return false;
            }
        }

        // "When both checkContent and mode are specified, the mode parameter takes precedence."
        return mode is null ? checkContent == true : mode != "none";
    }

    private static bool? Bool(TaskFields fields, JsonElement safety, string name)
    {
        if (!safety.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        fields.Add(ErrorCodes.InvalidFor(name), "safety." + name, $"Invalid value for 'safety.{name}': expected true or false, got {TaskFields.Describe(value)}.");
        return null;
    }
}
