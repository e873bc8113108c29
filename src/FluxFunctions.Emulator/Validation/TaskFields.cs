using System.Globalization;
using System.Text.Json;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Validation;

/// <summary>
/// Reads typed fields of one task object and collects every problem as a Runware-shaped error naming the parameter.
/// A missing optional field reads as null; a field of the wrong type or out of range adds an error and reads as null.
/// </summary>
internal sealed class TaskFields
{
    private readonly JsonElement task;
    private readonly string? taskType;
    private readonly string? taskUuid;
    private readonly List<RunwareError> errors = [];

    public TaskFields(JsonElement task, string? taskType, string? taskUuid)
    {
        this.task = task;
        this.taskType = taskType;
        this.taskUuid = taskUuid;
    }

    /// <summary>The task object as sent.</summary>
    public JsonElement Source => task;

    /// <summary>Every problem found so far.</summary>
    public IReadOnlyList<RunwareError> Errors => errors;

    /// <summary>True when no problem was found.</summary>
    public bool IsValid => errors.Count == 0;

    /// <summary>True when the field is present (even if null).</summary>
    public bool Has(string name) => task.TryGetProperty(name, out _);

    /// <summary>The raw field, if present.</summary>
    public JsonElement? Raw(string name) => task.TryGetProperty(name, out var value) ? value : null;

    /// <summary>Adds an error attributed to this task.</summary>
    public void Add(string code, string? parameter, string message) =>
        errors.Add(new RunwareError(code, message, parameter, taskType, taskUuid));

    /// <summary>Adds an already built error, attributed to this task.</summary>
    public void Add(RunwareError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        errors.Add(error.ForTask(taskType, taskUuid));
    }

    /// <summary>Adds <c>missingParameter</c>.</summary>
    public void Missing(string parameter, string why) =>
        Add(ErrorCodes.MissingParameter, parameter, $"Missing required parameter '{parameter}': {why}");

    /// <summary>Adds <c>invalid{Parameter}</c>.</summary>
    public void Invalid(string parameter, string message) => Add(ErrorCodes.InvalidFor(parameter), parameter, message);

    /// <summary>Adds <c>unsupportedParameter</c>.</summary>
    public void Unsupported(string parameter, string message) => Add(ErrorCodes.UnsupportedParameter, parameter, message);

    /// <summary>Rejects fields outside <paramref name="allowed"/> and fields given twice.</summary>
    public void RejectUnknown(IReadOnlySet<string> allowed, string? prefix = null) => RejectUnknown(task, allowed, prefix);

    /// <summary>Rejects fields of <paramref name="element"/> outside <paramref name="allowed"/> and fields given twice.</summary>
    public void RejectUnknown(JsonElement element, IReadOnlySet<string> allowed, string? prefix)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var path = prefix is null ? property.Name : prefix + "." + property.Name;
            if (!seen.Add(property.Name))
            {
                Add(ErrorCodes.InvalidParameter, path, $"Parameter '{path}' is given more than once.");
            }
            else if (!allowed.Contains(property.Name))
            {
                var hint = allowed.FirstOrDefault(a => string.Equals(a, property.Name, StringComparison.OrdinalIgnoreCase));
                Unsupported(path, hint is null
                    ? $"Parameter '{path}' is not supported by {taskType ?? "this task"}."
                    : $"Parameter '{path}' is not supported by {taskType ?? "this task"}; parameter names are case-sensitive, did you mean '{hint}'?");
            }
        }
    }

    /// <summary>A string field.</summary>
    public string? String(string name, string? requiredBecause = null) => String(Raw(name), name, requiredBecause);

    /// <summary>A string value at <paramref name="path"/>.</summary>
    public string? String(JsonElement? value, string path, string? requiredBecause = null)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            if (requiredBecause is not null)
            {
                Missing(path, requiredBecause);
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            Invalid(path, $"Invalid value for '{path}': expected a string, got {Describe(element)}.");
            return null;
        }

        return element.GetString();
    }

    /// <summary>An integer field within [min, max].</summary>
    public int? Int(string name, int min, int max, string? requiredBecause = null) =>
        Long(Raw(name), name, min, max, requiredBecause) is { } value ? (int)value : null;

    /// <summary>An integer value at <paramref name="path"/> within [min, max].</summary>
    /// <param name="value">The raw value, if present.</param>
    /// <param name="path">The parameter path for errors.</param>
    /// <param name="min">Smallest allowed value.</param>
    /// <param name="max">Largest allowed value.</param>
    /// <param name="requiredBecause">When set, a missing value is <c>missingParameter</c> with this reason.</param>
    /// <param name="rule">What the value must be, for messages (default "an integer from min to max").</param>
    public long? Long(JsonElement? value, string path, long min, long max, string? requiredBecause = null, string? rule = null)
    {
        rule ??= $"an integer from {Show(min)} to {Show(max)}";
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            if (requiredBecause is not null)
            {
                Missing(path, requiredBecause);
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var number))
        {
            Invalid(path, $"Invalid value for '{path}': expected {rule}, got {Describe(element)}.");
            return null;
        }

        if (number < min || number > max)
        {
            Invalid(path, $"Invalid value for '{path}': {Show(number)}; it must be {rule}.");
            return null;
        }

        return number;
    }

    /// <summary>A number field within [min, max].</summary>
    public double? Number(string name, double min, double max)
    {
        if (Raw(name) is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Invalid(name, $"Invalid value for '{name}': expected a number from {Show(min)} to {Show(max)}, got {Describe(element)}.");
            return null;
        }

        if (number < min || number > max)
        {
            Invalid(name, $"Invalid value for '{name}': {Show(number)} is out of range; it must be from {Show(min)} to {Show(max)}.");
            return null;
        }

        return number;
    }

    /// <summary>A boolean field.</summary>
    public bool? Bool(string name)
    {
        if (Raw(name) is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        Invalid(name, $"Invalid value for '{name}': expected true or false, got {Describe(element)}.");
        return null;
    }

    /// <summary>A string field that must be one of <paramref name="choices"/>.</summary>
    public string? Choice(string name, IReadOnlyList<string> choices, StringComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var value = String(name);
        if (value is null)
        {
            return null;
        }

        var match = choices.FirstOrDefault(c => string.Equals(c, value, comparison));
        if (match is null)
        {
            Invalid(name, $"Invalid value for '{name}': '{Trim(value)}'; use one of {string.Join(", ", choices)}.");
        }

        return match;
    }

    /// <summary>An absolute http(s) URL field.</summary>
    public Uri? HttpUrl(string name)
    {
        var value = String(name);
        if (value is null)
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        Invalid(name, $"Invalid value for '{name}': it must be an absolute http(s) URL.");
        return null;
    }

    /// <summary>A short description of a JSON value for messages (never the whole value).</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string '{Trim(element.GetString() ?? string.Empty)}'",
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Trim(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);
}
