using System.Globalization;
using System.Text;

namespace FluxFunctions.Infra.Tests;

/// <summary>
/// A small evaluator of ARM template expressions (<c>[format('{0}', parameters('x'))]</c>), enough to follow values
/// through a Bicep-compiled template and its nested module deployments. Functions whose result only exists at
/// deployment time (reference to a resource, listKeys, uniqueString, …) evaluate to <see cref="Opaque"/>.
/// </summary>
internal sealed class ArmExpression
{
    private readonly string text;
    private readonly ArmScope scope;
    private int position;

    private ArmExpression(string text, ArmScope scope)
    {
        this.text = text;
        this.scope = scope;
    }

    /// <summary>Evaluates the expression between the outer brackets of a template string.</summary>
    public static object? Evaluate(string expression, ArmScope scope)
    {
        var parser = new ArmExpression(expression, scope);
        var value = parser.ParseExpression();
        parser.SkipSpaces();
        if (parser.position != expression.Length)
        {
            throw parser.Error("unexpected text");
        }

        return value;
    }

    private object? ParseExpression()
    {
        SkipSpaces();
        var value = ParsePrimary();
        while (true)
        {
            SkipSpaces();
            if (Peek('.'))
            {
                position++;
                value = Member(value, ParseIdentifier());
            }
            else if (Peek('['))
            {
                position++;
                var index = ParseExpression();
                Expect(']');
                value = Index(value, index);
            }
            else
            {
                return value;
            }
        }
    }

    private object? ParsePrimary()
    {
        SkipSpaces();
        if (Peek('\''))
        {
            return ParseString();
        }

        if (position < text.Length && (char.IsDigit(text[position]) || text[position] == '-'))
        {
            var start = position++;
            while (position < text.Length && char.IsDigit(text[position]))
            {
                position++;
            }

            return long.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture);
        }

        var name = ParseIdentifier();
        Expect('(');
        var arguments = new List<object?>();
        SkipSpaces();
        if (!Peek(')'))
        {
            while (true)
            {
                arguments.Add(ParseExpression());
                SkipSpaces();
                if (Peek(','))
                {
                    position++;
                    continue;
                }

                break;
            }
        }

        Expect(')');
        return ArmFunctions.Call(name, arguments, scope);
    }

    private string ParseString()
    {
        Expect('\'');
        var builder = new StringBuilder();
        while (true)
        {
            if (position >= text.Length)
            {
                throw Error("unterminated string");
            }

            var c = text[position++];
            if (c == '\'')
            {
                if (Peek('\''))
                {
                    builder.Append('\'');
                    position++;
                    continue;
                }

                return builder.ToString();
            }

            builder.Append(c);
        }
    }

    private string ParseIdentifier()
    {
        SkipSpaces();
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }

        if (start == position)
        {
            throw Error("identifier expected");
        }

        return text[start..position];
    }

    private static object? Member(object? value, string name) => value switch
    {
        IReadOnlyDictionary<string, object?> map when map.TryGetValue(name, out var member) => member,
        IReadOnlyDictionary<string, object?> => throw new KeyNotFoundException($"The object has no property '{name}'."),
        ModuleReference module when name == "outputs" => new ModuleOutputs(module.Scope),
        ModuleOutputs outputs => new ModuleOutput(outputs.Scope, name),
        ModuleOutput output when name == "value" => output.Scope.Output(output.Name),
        Opaque opaque => new Opaque($"{opaque.Text}.{name}"),
        _ => throw new InvalidOperationException($"Cannot read property '{name}' of {value}."),
    };

    private static object? Index(object? value, object? index) => (value, index) switch
    {
        (IReadOnlyList<object?> list, long i) => list[(int)i],
        (IReadOnlyDictionary<string, object?> map, string key) => map[key],
        (Opaque opaque, _) => new Opaque($"{opaque.Text}[{ArmText.Argument(index)}]"),
        (_, Opaque opaque) => new Opaque($"{ArmText.Argument(value)}[{opaque.Text}]"),
        _ => throw new InvalidOperationException($"Cannot index {value} with {index}."),
    };

    private void SkipSpaces()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private bool Peek(char c) => position < text.Length && text[position] == c;

    private void Expect(char c)
    {
        SkipSpaces();
        if (!Peek(c))
        {
            throw Error($"'{c}' expected");
        }

        position++;
    }

    private FormatException Error(string what) => new($"{what} at {position} in [{text}]");

    /// <summary><c>reference(...)</c> of a nested deployment: its outputs can be evaluated.</summary>
    internal sealed record ModuleReference(ArmScope Scope);

    private sealed record ModuleOutputs(ArmScope Scope);

    private sealed record ModuleOutput(ArmScope Scope, string Name);
}
