using FluxFunctions.Errors;
using FluxFunctions.Requests;
using static FluxFunctions.Core.Tests.Requests.OptionsValidation;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>The erase tool's rules, all read from its description: image and mask, no prompt, no size, steps, CFG or seed.</summary>
public sealed class EraseValidationTests
{
    [Theory]
    [InlineData("""{"tool":"erase"}""")]
    [InlineData("""{"tool":"Erase","maskGrow":4,"maskFeather":2,"stitch":true,"colorMatch":false,"numberResults":2,"outputFormat":"JPG"}""")]
    public void Validate_EraseWithoutPrompt_IsValid(string json)
    {
        var result = Validate(json);

        Assert.True(result.Ok, string.Join(" | ", result.Errors.Select(e => e.Message)));
        Assert.Equal(FluxTool.Erase, result.Spec!.Tool);
        Assert.Equal("", result.Spec.Prompt);
    }

    [Fact]
    public void Validate_EmptyOptionsInTheEraseFolder_IsValid()
    {
        Assert.True(Validate("{}", FluxTool.Erase).Ok);
    }

    [Fact]
    public void Validate_EraseWithPrompt_IsRejectedSayingEraseTakesNoPrompt()
    {
        var result = Validate("""{"tool":"erase","prompt":"remove the car"}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.ForbiddenParameter, error.Code);
        Assert.Equal("prompt", error.Parameter);
        Assert.Equal("erase takes no prompt: FLUX Erase works from the image and the mask alone (white = remove); remove 'prompt'.", error.Message);
    }

    [Theory]
    [InlineData("width", "1024")]
    [InlineData("height", "1024")]
    [InlineData("steps", "28")]
    [InlineData("cfgScale", "3.5")]
    [InlineData("seed", "42")]
    [InlineData("strength", "0.5")]
    [InlineData("maskMargin", "32")]
    [InlineData("outpaint", """{"top":64}""")]
    [InlineData("context", """{"mode":"off"}""")]
    [InlineData("preprocess", """{"mode":"none"}""")]
    [InlineData("baseModel", "\"runware:101@1\"")]
    public void Validate_EraseWithAFieldItDoesNotTake_IsRejectedNamingIt(string field, string value)
    {
        var result = Validate($$"""{"tool":"erase","{{field}}":{{value}}}""");

        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.ForbiddenParameter, error.Code);
        Assert.Equal(field, error.Parameter);
    }
}
