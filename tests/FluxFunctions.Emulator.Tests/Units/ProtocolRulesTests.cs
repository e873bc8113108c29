using System.Text.Json;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Tests.Units;

/// <summary>Small rules: UUIDv4, seeds, redaction, the edge detector.</summary>
public sealed class ProtocolRulesTests
{
    [Theory]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", true)]
    [InlineData("0F8FAD5B-D9CB-469F-A165-70867728950E", true)]
    [InlineData("c232ab00-9414-11ec-b3c8-9f6bdeced846", false)] // version 1
    [InlineData("0f8fad5b-d9cb-469f-c165-70867728950e", false)] // wrong variant
    [InlineData("0f8fad5bd9cb469fa16570867728950e", false)] // not 8-4-4-4-12
    [InlineData("{0f8fad5b-d9cb-469f-a165-70867728950e}", false)]
    public void IsUuidV4_Text_AcceptsOnlyCanonicalVersion4(string text, bool expected) =>
        Assert.Equal(expected, TaskHeader.IsUuidV4(text, out _));

    [Fact]
    public void SeedMath_ForResult_AddsTheIndexAndWrapsWithinRange()
    {
        Assert.Equal(12, SeedMath.ForResult(10, 2));
        Assert.Equal(1, SeedMath.ForResult(long.MaxValue, 1));
        var picked = SeedMath.FromTaskUuid(Guid.NewGuid());
        Assert.InRange(picked, 1, (1L << 53) - 1);
    }

    [Fact]
    public void JsonRedactor_NestedApiKeyAndLongStrings_AreRedacted()
    {
        using var document = JsonDocument.Parse("""{"a":[{"APIKEY":"k1"}],"s":"short","n":5,"long":"%%"}""".Replace("%%", new string('x', 301), StringComparison.Ordinal));

        var redacted = JsonRedactor.Redact(document.RootElement)!.ToJsonString();

        Assert.Contains("\"APIKEY\":\"***\"", redacted, StringComparison.Ordinal);
        Assert.Contains("\"s\":\"short\"", redacted, StringComparison.Ordinal);
        Assert.Contains("\"n\":5", redacted, StringComparison.Ordinal);
        Assert.Contains("(301 chars)", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 41), redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonRedactor_ForTaskDetails_RedactsKeysAndUrlQueriesAndElidesLongStrings()
    {
        var image = new string('A', 400);
        using var document = JsonDocument.Parse($$"""{"apiKey":"k1","seedImage":"{{image}}","maskImage":"https://acct.blob.core.windows.net/c/m.png?sv=1&sig=abc","webhookURL":"http://h/hook","n":5}""");

        var copy = JsonRedactor.ForTaskDetails(document.RootElement)!.AsObject();

        Assert.Equal("***", (string?)copy["apiKey"]);
        Assert.Equal("<elided: 400 chars>", (string?)copy["seedImage"]);
        Assert.Equal("https://acct.blob.core.windows.net/c/m.png?<redacted>", (string?)copy["maskImage"]);
        Assert.Equal("http://h/hook", (string?)copy["webhookURL"]);
        Assert.Equal(5, (int)copy["n"]!);
    }

    [Fact]
    public void CannyEdges_VerticalStep_MarksOnlyTheStep()
    {
        const int size = 32;
        var gray = new byte[size * size];
        for (var i = 0; i < gray.Length; i++)
        {
            gray[i] = (byte)(i % size < 16 ? 0 : 255);
        }

        var edges = CannyEdges.Detect(gray, size, size, 100, 200);

        Assert.Equal(255, edges[(10 * size) + 16]);
        Assert.Equal(0, edges[(10 * size) + 4]);
        Assert.Equal(0, edges[(10 * size) + 28]);
    }
}
