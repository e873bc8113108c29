using System.Globalization;

namespace FluxFunctions.Infra.Tests;

/// <summary>
/// A value only Azure Resource Manager knows at deployment time (a reference, a key, a unique string). Its text is the
/// expression with every argument that could be evaluated already evaluated, so tests can still assert on it.
/// </summary>
internal sealed record Opaque(string Text)
{
    public override string ToString() => $"<{Text}>";
}

/// <summary>A <c>resourceId(...)</c> of this resource group; <paramref name="Names"/> are the names joined with '/'.</summary>
internal sealed record ResourceIdValue(string Type, string Names)
{
    public override string ToString()
    {
        var types = Type.Split('/');
        var names = Names.Split('/');
        var path = types[0];
        for (var i = 1; i < types.Length; i++)
        {
            path += $"/{types[i]}/{(i - 1 < names.Length ? names[i - 1] : "?")}";
        }

        return $"/subscriptions/<subscriptionId>/resourceGroups/<resourceGroup>/providers/{path}";
    }
}

/// <summary>Formatting of evaluated values as ARM would print them into a string.</summary>
internal static class ArmText
{
    public static string Of(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>How an argument is shown inside the text of an <see cref="Opaque"/> call.</summary>
    public static string Argument(object? value) => value switch
    {
        string s => $"'{s}'",
        Opaque o => o.Text,
        ResourceIdValue id => $"'{id}'",
        _ => Of(value),
    };
}
