using System.Text;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using static FluxFunctions.Core.Tests.Requests.OptionsValidation;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>
/// Reference images: fill's <c>reference</c> (ACE++, max 1) and kontext's <c>references</c> (at most 2 reference images
/// in all and the image to edit is the first, so 1 more), each only on its tool.
/// </summary>
public sealed class ReferenceValidationTests
{
    private const string Uri = "https://example.com/ref.png";

    [Theory]
    [InlineData($$"""{"tool":"fill","prompt":"a red door","reference":"{{Uri}}"}""")]
    [InlineData($$"""{"tool":"kontext","prompt":"put the logo on the mug","references":["{{Uri}}"]}""")]
    [InlineData($$"""{"tool":"kontext","prompt":"put the logo on the mug","model":"max","references":["{{Uri}}"]}""")]
    public void Validate_AReferenceOnTheToolThatTakesIt_IsValid(string json)
    {
        var result = Validate(json);

        Assert.True(result.Ok, string.Join(" | ", result.Errors.Select(e => e.Message)));
    }

    [Fact]
    public void Validate_KontextWithTwoExtraReferences_SaysTheModelTakesTwoInAllWithTheImageFirst()
    {
        var error = Assert.Single(Validate($$"""{"tool":"kontext","prompt":"put the logo on the mug","references":["{{Uri}}","{{Uri}}"]}""").Errors);

        Assert.Equal(ErrorCodes.OutOfRange, error.Code);
        Assert.Equal("references", error.Parameter);
        Assert.StartsWith("'references' has 2 images; kontext takes at most 1: FLUX.1 Kontext takes at most 2 reference images, and the image to edit is the first, so 1 more (old-docs api-reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KontextWithAnEmptyReferenceList_IsInvalid()
    {
        var error = Assert.Single(Validate("""{"tool":"kontext","prompt":"put the logo on the mug","references":[]}""").Errors);

        Assert.Equal((ErrorCodes.InvalidValue, "references"), (error.Code, error.Parameter));
    }

    [Theory]
    [InlineData("kontext", "reference", $"\"{Uri}\"", "'reference' applies to fill only, not to kontext.")]
    [InlineData("fill", "references", $"[\"{Uri}\"]", "'references' applies to kontext only, not to fill.")]
    [InlineData("fill-pro", "reference", $"\"{Uri}\"", "'reference' applies to fill only, not to fill-pro.")]
    [InlineData("erase", "reference", $"\"{Uri}\"", "'reference' applies to fill only, not to erase.")]
    [InlineData("redux", "references", $"[\"{Uri}\"]", "'references' applies to kontext only, not to redux.")]
    public void Validate_AReferenceOnAToolThatTakesNone_IsRefusedNamingTheToolThatDoes(string tool, string field, string value, string message)
    {
        var prompt = tool == "erase" ? "" : "\"prompt\":\"a red door\",";
        var error = Assert.Single(Validate($$"""{"tool":"{{tool}}",{{prompt}}"{{field}}":{{value}}}""").Errors);

        Assert.Equal((ErrorCodes.ForbiddenParameter, field, message), (error.Code, error.Parameter, error.Message));
    }

    [Theory]
    [InlineData("""{"references":"https://example.com/a.png"}""", "references")]
    [InlineData("""{"references":[1]}""", "references[0]")]
    [InlineData("""{"reference":["https://example.com/a.png"]}""", "reference")]
    public void Parse_ReferencesOfTheWrongType_NameTheField(string json, string parameter)
    {
        var parsed = EditOptionsParser.Parse(Encoding.UTF8.GetBytes(json), allowImages: true);

        Assert.Contains(parsed.Errors, e => e.Parameter == parameter);
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("references")]
    public void Parse_AReferenceInAnOptionsFile_PointsToTheRefCompanion(string field)
    {
        var parsed = EditOptionsParser.Parse(Encoding.UTF8.GetBytes($$"""{"prompt":"a red door","{{field}}":"x"}"""), allowImages: false);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(ErrorCodes.UnknownField, error.Code);
        Assert.Contains("{name}.ref.png", error.Message, StringComparison.Ordinal);
    }
}
