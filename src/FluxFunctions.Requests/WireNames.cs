using System.Reflection;
using System.Text.Json.Serialization;

namespace FluxFunctions.Requests;

/// <summary>
/// The names an enum is written with (its <see cref="JsonStringEnumMemberNameAttribute"/>s): the one table JSON, options
/// validation and settings all read, so a name is declared once, on the enum member.
/// </summary>
/// <typeparam name="TEnum">An enum whose members each carry a <see cref="JsonStringEnumMemberNameAttribute"/>.</typeparam>
public static class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly (string Name, TEnum Value)[] Members = typeof(TEnum)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (
            f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{f.Name} has no JsonStringEnumMemberName."),
            (TEnum)f.GetValue(null)!))
        .ToArray();

    /// <summary>Each name (matched ignoring case) to its member, in declaration order.</summary>
    public static IReadOnlyDictionary<string, TEnum> ByName { get; } =
        Members.ToDictionary(m => m.Name, m => m.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The name <paramref name="value"/> is written with.</summary>
    public static string Of(TEnum value)
    {
        foreach (var (name, member) in Members)
        {
            if (EqualityComparer<TEnum>.Default.Equals(member, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {typeof(TEnum).Name}.");
    }
}
