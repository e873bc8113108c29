using System.Text.Json;

namespace FluxFunctions.Infra.Tests;

/// <summary>
/// One template of a compiled deployment (the main template or a nested module deployment) with the values of its
/// parameters: a module's come from its deployment resource, evaluated in the parent; the main template's from the
/// given overrides, else the defaults.
/// </summary>
internal sealed class ArmScope
{
    private readonly IReadOnlyDictionary<string, JsonElement> parameterValues;
    private readonly ArmScope? parent;

    private ArmScope(string name, JsonElement template, IReadOnlyDictionary<string, JsonElement> parameterValues, ArmScope? parent)
    {
        Name = name;
        Template = template;
        this.parameterValues = parameterValues;
        this.parent = parent;
    }

    /// <summary>The deployment name ("main" for the template itself).</summary>
    public string Name { get; }

    /// <summary>The template JSON.</summary>
    public JsonElement Template { get; }

    /// <summary>The main template, with parameter values as in a parameters file (<c>{"name": {"value": ...}}</c>).</summary>
    public static ArmScope ForMain(JsonElement template, IReadOnlyDictionary<string, JsonElement> parameters) => new("main", template, parameters, null);

    /// <summary>The resources of this template (not of nested deployments).</summary>
    public IEnumerable<JsonElement> Resources => Template.GetProperty("resources") switch
    {
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray(),
        var map => map.EnumerateObject().Select(p => p.Value),
    };

    /// <summary>The resources of a type.</summary>
    public IEnumerable<JsonElement> ResourcesOfType(string type) =>
        Resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The only resource of a type.</summary>
    public JsonElement Single(string type) => Assert.Single(ResourcesOfType(type));

    /// <summary>The nested deployment (Bicep module) with this name.</summary>
    public ArmScope Module(string deploymentName)
    {
        var deployment = ResourcesOfType("Microsoft.Resources/deployments")
            .SingleOrDefault(r => r.GetProperty("name").GetString() == deploymentName);
        if (deployment.ValueKind == JsonValueKind.Undefined)
        {
            throw new InvalidOperationException($"Template '{Name}' has no module deployment '{deploymentName}'.");
        }

        var properties = deployment.GetProperty("properties");
        var values = properties.TryGetProperty("parameters", out var p)
            ? p.EnumerateObject().ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal)
            : [];
        return new ArmScope(deploymentName, properties.GetProperty("template"), values, this);
    }

    /// <summary>The deployment resource of a module, for its condition and dependencies.</summary>
    public JsonElement ModuleDeployment(string deploymentName) =>
        ResourcesOfType("Microsoft.Resources/deployments").Single(r => r.GetProperty("name").GetString() == deploymentName);

    /// <summary>The current iteration while <see cref="EvaluateCopies"/> runs.</summary>
    public int? CopyIndex { get; private set; }

    /// <summary>
    /// A property of a resource evaluated once per iteration of its copy loop (once if it has none), for example the
    /// names of the containers a loop creates.
    /// </summary>
    public IReadOnlyList<object?> EvaluateCopies(JsonElement resource, string property)
    {
        if (!resource.TryGetProperty("copy", out var copy))
        {
            return [Evaluate(resource.GetProperty(property))];
        }

        var count = (long)Evaluate(copy.GetProperty("count"))!;
        var values = new List<object?>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                CopyIndex = i;
                values.Add(Evaluate(resource.GetProperty(property)));
            }
        }
        finally
        {
            CopyIndex = null;
        }

        return values;
    }

    /// <summary>The value of a parameter.</summary>
    public object? Parameter(string name)
    {
        if (parameterValues.TryGetValue(name, out var supplied))
        {
            if (supplied.ValueKind != JsonValueKind.Object || !supplied.TryGetProperty("value", out var value))
            {
                throw new InvalidOperationException($"Parameter '{name}' of '{Name}' is not given as {{\"value\": ...}}: {supplied}");
            }

            // A module's parameter values are written in the parent's terms.
            return (parent ?? this).Evaluate(value);
        }

        if (!Template.GetProperty("parameters").TryGetProperty(name, out var declaration))
        {
            throw new KeyNotFoundException($"Template '{Name}' declares no parameter '{name}'.");
        }

        return declaration.TryGetProperty("defaultValue", out var defaultValue)
            ? Evaluate(defaultValue)
            : throw new InvalidOperationException($"Parameter '{name}' of '{Name}' has no value and no default.");
    }

    /// <summary>The value of a variable.</summary>
    public object? Variable(string name) =>
        Template.GetProperty("variables").TryGetProperty(name, out var value)
            ? Evaluate(value)
            : throw new KeyNotFoundException($"Template '{Name}' declares no variable '{name}'.");

    /// <summary>The value of an output.</summary>
    public object? Output(string name) =>
        Template.GetProperty("outputs").TryGetProperty(name, out var output)
            ? Evaluate(output.GetProperty("value"))
            : throw new KeyNotFoundException($"Template '{Name}' declares no output '{name}'.");

    /// <summary>Evaluates template JSON: expressions in strings, recursively through objects and arrays.</summary>
    public object? Evaluate(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => EvaluateString(element.GetString()!),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Array => element.EnumerateArray().Select(Evaluate).ToList(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => EvaluateKey(p.Name), p => Evaluate(p.Value), StringComparer.Ordinal),
        _ => throw new InvalidOperationException($"Unexpected JSON {element.ValueKind}."),
    };

    private string EvaluateKey(string key) => EvaluateString(key) switch
    {
        string s => s,
        var other => ArmText.Of(other),
    };

    private object? EvaluateString(string value)
    {
        if (value.StartsWith("[[", StringComparison.Ordinal))
        {
            return value[1..];
        }

        return value.StartsWith('[') && value.EndsWith(']') ? ArmExpression.Evaluate(value[1..^1], this) : value;
    }
}
