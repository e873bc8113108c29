namespace FluxFunctions.Emulator.Configuration;

/// <summary>
/// The names of an enum's values as settings, headers and JSON write them (e.g. <c>taskNotFound</c>, <c>429</c>): one
/// table instead of a switch per direction. Parsing ignores case and surrounding spaces.
/// </summary>
/// <typeparam name="T">The enum.</typeparam>
internal sealed class NamedValues<T>
    where T : struct, Enum
{
    private readonly IReadOnlyList<(T Value, string Name)> table;

    public NamedValues(params (T Value, string Name)[] table)
    {
        ArgumentNullException.ThrowIfNull(table);
        this.table = table;
        All = [.. table.Select(entry => entry.Value)];
        Accepted = string.Join(", ", table.Select(entry => entry.Name));
    }

    /// <summary>The values in the table's order.</summary>
    public IReadOnlyList<T> All { get; }

    /// <summary>The accepted names, comma-separated, for messages.</summary>
    public string Accepted { get; }

    /// <summary>The name of a value; the enum's own name for a value outside the table.</summary>
    public string Name(T value)
    {
        foreach (var entry in table)
        {
            if (EqualityComparer<T>.Default.Equals(entry.Value, value))
            {
                return entry.Name;
            }
        }

        return value.ToString();
    }

    /// <summary>Parses a name (case-insensitive, surrounding spaces ignored).</summary>
    public bool TryParse(string? text, out T value)
    {
        var trimmed = text?.Trim();
        foreach (var entry in table)
        {
            if (string.Equals(entry.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
