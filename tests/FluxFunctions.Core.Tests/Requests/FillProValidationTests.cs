using FluxFunctions.Errors;
using FluxFunctions.Requests;
using static FluxFunctions.Core.Tests.Requests.OptionsValidation;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>
/// The fill-pro tool's rules, read from its description (task_map.py BflFlux1FillProParams; old-docs providers/bfl): a prompt
/// of 2–3000 characters, no width or height, steps 15–50, CFG 1.5–100, no strength or maskMargin.
/// </summary>
public sealed class FillProValidationTests
{
    [Theory]
    [InlineData("""{"tool":"fill-pro","prompt":"a red door"}""")]
    [InlineData("""{"tool":"fill-pro","prompt":"a red door","steps":15,"cfgScale":1.5,"seed":7}""")]
    [InlineData("""{"tool":"fill-pro","prompt":"a red door","steps":50,"cfgScale":100,"outpaint":{"right":256},"context":{"mode":"always"}}""")]
    public void Validate_FillProWithinItsRules_IsValid(string json)
    {
        var result = Validate(json);

        Assert.True(result.Ok, string.Join(" | ", result.Errors.Select(e => e.Message)));
        Assert.Equal(FluxTool.FillPro, result.Spec!.Tool);
    }

    [Fact]
    public void Validate_FillProWithoutPrompt_SaysThePromptIsRequired()
    {
        var error = Assert.Single(Validate("{}", FluxTool.FillPro).Errors);

        Assert.Equal(ErrorCodes.MissingField, error.Code);
        Assert.Equal("'prompt' is required for fill-pro: describe the result in at least 2 characters.", error.Message);
    }

    [Theory]
    [InlineData("width", "1024", "FLUX.1 Fill [pro] (bfl:1@2) takes no 'width': the output has the input's size")]
    [InlineData("height", "768", "FLUX.1 Fill [pro] (bfl:1@2) takes no 'height': the output has the input's size")]
    [InlineData("strength", "0.5", "FLUX.1 Fill [pro] does not take 'strength'")]
    [InlineData("maskMargin", "32", "FLUX.1 Fill [pro] does not take 'maskMargin'")]
    public void Validate_FillProWithAFieldTheModelRefuses_SaysWhy(string field, string value, string message)
    {
        var error = Assert.Single(Validate($$"""{"tool":"fill-pro","prompt":"a red door","{{field}}":{{value}}}""").Errors);

        Assert.Equal(ErrorCodes.ForbiddenParameter, error.Code);
        Assert.Equal(field, error.Parameter);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("steps", "14", "'steps' must be between 15 and 50, got 14.")]
    [InlineData("steps", "51", "'steps' must be between 15 and 50, got 51.")]
    [InlineData("cfgScale", "1.4", "'cfgScale' must be between 1.5 and 100, got 1.4.")]
    [InlineData("cfgScale", "100.5", "'cfgScale' must be between 1.5 and 100, got 100.5.")]
    public void Validate_FillProOutsideItsRanges_NamesTheRange(string field, string value, string message)
    {
        var error = Assert.Single(Validate($$"""{"tool":"fill-pro","prompt":"a red door","{{field}}":{{value}}}""").Errors);

        Assert.Equal(ErrorCodes.OutOfRange, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("negativePrompt")]
    [InlineData("scheduler")]
    [InlineData("lora")]
    public void Validate_FillProWithAParameterNoToolTakes_IsAnUnknownField(string field)
    {
        var error = Assert.Single(Validate($$"""{"tool":"fill-pro","prompt":"a red door","{{field}}":"x"}""").Errors);

        Assert.Equal(ErrorCodes.UnknownField, error.Code);
        Assert.Equal(field, error.Parameter);
    }
}
