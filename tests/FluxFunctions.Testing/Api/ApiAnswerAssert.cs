using System.Text.Json;
using Xunit;

namespace FluxFunctions.Testing.Api;

/// <summary>Checks an answer against its case: status, problem+json shape, and exactly the errors expected.</summary>
public static class ApiAnswerAssert
{
    public static void Matches(ApiCase expected, ApiAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(answer);
        Assert.True(expected.Status == answer.Status, $"{expected.Name}: expected {expected.Status}, got {answer.Status}: {Clip(answer.Text)}");
        if (expected.Status < 400)
        {
            return;
        }

        IsProblem(answer, expected.Status);
        if (expected.Errors.Count > 0)
        {
            using var doc = JsonDocument.Parse(answer.Body);
            var actual = doc.RootElement.GetProperty("errors").EnumerateArray()
                .Select(e => new ExpectedError(e.TryGetProperty("parameter", out var p) ? p.GetString() : null, e.GetProperty("code").GetString()!))
                .ToHashSet();
            Assert.True(actual.SetEquals(expected.Errors), $"{expected.Name}: expected errors [{string.Join(", ", expected.Errors)}], got [{string.Join(", ", actual)}]: {Clip(answer.Text)}");
        }
    }

    /// <summary>An RFC 7807 answer with the status, a title and a type, and no internals.</summary>
    public static void IsProblem(ApiAnswer answer, int status)
    {
        ArgumentNullException.ThrowIfNull(answer);
        Assert.StartsWith("application/problem+json", answer.ContentType ?? "", StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(answer.Body);
        var root = doc.RootElement;
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("type").GetString()));
        HasNoInternals(answer);
    }

    /// <summary>No stack trace or exception type name in an answer.</summary>
    public static void HasNoInternals(ApiAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = answer.Text;
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", text, StringComparison.Ordinal);
    }

    private static string Clip(string s) => s.Length <= 600 ? s : s[..600] + "…";
}
