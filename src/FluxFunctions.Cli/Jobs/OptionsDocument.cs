using System.Text.Json;
using System.Text.Json.Nodes;

namespace FluxFunctions.Cli.Jobs;

/// <summary>
/// The JSON options of an edit (the same fields as the HTTP body, SPEC §3): read from <c>--options</c> files and
/// merged field by field (objects such as <c>preprocess</c> deeply), later sources winning.
/// </summary>
internal static class OptionsDocument
{
    private static readonly JsonDocumentOptions Reading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads a JSON object from a file.</summary>
    /// <exception cref="CliUsageException">The file is missing, unreadable, not JSON or not an object.</exception>
    public static JsonObject Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"Cannot read the options file {path}: {ex.Message}");
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: Reading) as JsonObject
                ?? throw new CliUsageException($"The options file {path} must hold a JSON object ({{\"prompt\": \"…\", …}}).");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"The options file {path} is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>A copy of <paramref name="target"/> with every field of <paramref name="source"/> set over it.</summary>
    public static JsonObject Merge(JsonObject target, JsonObject source)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        var merged = (JsonObject)target.DeepClone();
        foreach (var (name, value) in source)
        {
            var key = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            if (value is JsonObject inner && merged[key] is JsonObject existing)
            {
                merged[key] = Merge(existing, inner);
            }
            else
            {
                merged.Remove(key);
                merged[name] = value?.DeepClone();
            }
        }

        return merged;
    }

    /// <summary>Sets <c>tool</c>; an options document naming another tool is a usage error.</summary>
    public static JsonObject WithTool(JsonObject options, string tool, string source)
    {
        ArgumentNullException.ThrowIfNull(options);
        var existing = options.FirstOrDefault(p => string.Equals(p.Key, "tool", StringComparison.OrdinalIgnoreCase));
        if (existing.Value is JsonValue value && value.TryGetValue<string>(out var named) && !string.Equals(named, tool, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliUsageException($"{source} says \"tool\": \"{named}\" but the command runs {tool}; remove it or run `flux edit {named}`.");
        }

        if (existing.Key is not null)
        {
            options.Remove(existing.Key);
        }

        options["tool"] = tool;
        return options;
    }
}
