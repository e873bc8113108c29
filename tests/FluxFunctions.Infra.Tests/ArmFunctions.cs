using System.Globalization;

namespace FluxFunctions.Infra.Tests;

/// <summary>The template functions <see cref="ArmExpression"/> evaluates; every other function is <see cref="Opaque"/>.</summary>
internal static class ArmFunctions
{
    public static object? Call(string name, IReadOnlyList<object?> args, ArmScope scope)
    {
        switch (name.ToUpperInvariant())
        {
            case "PARAMETERS":
                return scope.Parameter(String(args[0]));
            case "VARIABLES":
                return scope.Variable(String(args[0]));
            case "RESOURCEID" when args.All(a => a is string):
                return new ResourceIdValue(String(args[0]), string.Join('/', args.Skip(1).Select(String)));
            case "SUBSCRIPTIONRESOURCEID" when args.All(a => a is string):
                return $"/subscriptions/<subscriptionId>/providers/{String(args[0])}/{string.Join('/', args.Skip(1).Select(String))}";
            case "REFERENCE" when args[0] is ResourceIdValue { Type: "Microsoft.Resources/deployments" } deployment:
                return new ArmExpression.ModuleReference(scope.Module(deployment.Names));
            case "COPYINDEX":
                return (long)(scope.CopyIndex ?? throw new InvalidOperationException("copyIndex() outside a copy loop.")) + (args.Count > 0 && args[^1] is long offset ? offset : 0);
            case "TRUE":
                return true;
            case "FALSE":
                return false;
            case "CREATEOBJECT":
                return Enumerable.Range(0, args.Count / 2).ToDictionary(i => String(args[2 * i]), i => args[(2 * i) + 1], StringComparer.Ordinal);
            case "CREATEARRAY":
                return args.ToList();
            case "FORMAT":
                // Deployment-time parts are shown inline as <...>, so the rest of the string can still be asserted.
                return string.Format(CultureInfo.InvariantCulture, String(args[0]), args.Skip(1).Select(ArmText.Of).ToArray<object?>());
        }

        if (args.Any(a => a is Opaque))
        {
            return new Opaque($"{name}({string.Join(", ", args.Select(ArmText.Argument))})");
        }

        return name.ToUpperInvariant() switch
        {
            "CONCAT" when args.All(a => a is IReadOnlyList<object?>) => args.SelectMany(a => (IReadOnlyList<object?>)a!).ToList(),
            "CONCAT" => string.Concat(args.Select(ArmText.Of)),
            "STRING" => ArmText.Of(args[0]),
            "TOLOWER" => String(args[0]).ToLowerInvariant(),
            "TOUPPER" => String(args[0]).ToUpperInvariant(),
            "REPLACE" => String(args[0]).Replace(String(args[1]), String(args[2]), StringComparison.Ordinal),
            "TAKE" when args[0] is string s => s[..(int)Math.Min(s.Length, (long)args[1]!)],
            "TAKE" => ((IReadOnlyList<object?>)args[0]!).Take((int)(long)args[1]!).ToList(),
            "EMPTY" => args[0] switch
            {
                null => true,
                string s => s.Length == 0,
                IReadOnlyCollection<object?> list => list.Count == 0,
                IReadOnlyDictionary<string, object?> map => map.Count == 0,
                _ => false,
            },
            "NOT" => !(bool)args[0]!,
            "AND" => args.All(a => (bool)a!),
            "OR" => args.Any(a => (bool)a!),
            "EQUALS" => Equals(args[0], args[1]),
            "GREATER" => (long)args[0]! > (long)args[1]!,
            "IF" => (bool)args[0]! ? args[1] : args[2],
            "LENGTH" => args[0] switch
            {
                string s => (long)s.Length,
                IReadOnlyCollection<object?> list => list.Count,
                _ => throw new InvalidOperationException($"length of {args[0]}"),
            },
            "UNION" when args.All(a => a is IReadOnlyDictionary<string, object?>) => Union(args.Cast<IReadOnlyDictionary<string, object?>>()),
            _ => new Opaque($"{name}({string.Join(", ", args.Select(ArmText.Argument))})"),
        };
    }

    private static Dictionary<string, object?> Union(IEnumerable<IReadOnlyDictionary<string, object?>> objects)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in objects.SelectMany(o => o))
        {
            result[key] = value;
        }

        return result;
    }

    private static string String(object? value) => value as string ?? throw new InvalidOperationException($"A string was expected, not {value}.");
}
