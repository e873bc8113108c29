using System.Text.Json.Nodes;

namespace FluxFunctions.Requests;

/// <summary>
/// Layers of options documents merged the way of a JSON merge patch (RFC 7386), first layer lowest: a field replaces the
/// same field of the layers below it, an object is merged field by field, <c>null</c> removes the field. Field names
/// compare without case, as the options parser reads them. Remembers which layer gave each top-level field, so an error
/// about a field can name the file it came from.
/// </summary>
public static class OptionsMerge
{
    /// <summary>The options of a JSON object compare their field names without case.</summary>
    public static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The merged document and, per top-level field (any case), the source of its value.</summary>
    public static (JsonObject Merged, IReadOnlyDictionary<string, string> SourceOf) Merge(IEnumerable<(string Source, JsonObject Options)> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var merged = new JsonObject(NodeOptions);
        var sourceOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (source, options) in layers)
        {
            foreach (var (name, value) in options)
            {
                if (value is null)
                {
                    sourceOf.Remove(name);
                }
                else
                {
                    sourceOf[name] = source;
                }
            }

            Patch(merged, options);
        }

        return (merged, sourceOf);
    }

    private static void Patch(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject inner)
            {
                if (target[name] is not JsonObject existing)
                {
                    existing = new JsonObject(NodeOptions);
                    target.Remove(name);
                    target[name] = existing;
                }

                Patch(existing, inner);
            }
            else
            {
                target.Remove(name);
                target[name] = value.DeepClone();
            }
        }
    }
}
