using FluxFunctions.Errors;
using FluxFunctions.Requests;
using static FluxFunctions.Core.Tests.Requests.OptionsValidation;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>Per-region prompts for fill: 'regions' [{color, prompt}] over a colour-coded mask, and each way it is refused.</summary>
public sealed class RegionValidationTests
{
    [Fact]
    public void Validate_ThreeRegions_EachKeepsItsColourAndPromptAndARegionWithoutOneUsesTheJobs()
    {
        var result = Validate("""{"tool":"fill","prompt":"a garden","regions":[{"color":"#FF0000","prompt":"a red rose bush"},{"color":"0f0"},{"colour":"#0000ff","prompt":"a blue pond"}]}""");

        Assert.True(result.Ok, string.Join(" | ", result.Errors.Select(e => e.Message)));
        var spec = result.Spec!;
        Assert.Equal(["#ff0000", "#00ff00", "#0000ff"], spec.Regions.Select(r => r.Color));
        Assert.Equal(["a red rose bush", "a garden", "a blue pond"], Enumerable.Range(0, 3).Select(spec.PromptFor));
        Assert.Equal("a blue pond", spec.ForCrop(2).Prompt);
    }

    [Fact]
    public void Validate_NoRegions_OnePromptForTheWholeMaskAsBefore()
    {
        var spec = Validate("""{"tool":"fill","prompt":"a garden"}""").Spec!;

        Assert.Empty(spec.Regions);
        Assert.Same(spec, spec.ForCrop(1));
    }

    [Fact]
    public void Validate_EveryRegionHasAPrompt_TheJobPromptMayBeLeftOut()
    {
        Assert.True(Validate("""{"tool":"fill","regions":[{"color":"#ff0000","prompt":"a red rose bush"}]}""").Ok);
    }

    [Fact]
    public void Validate_ARegionWithoutPromptAndNoJobPrompt_AsksForTheJobPrompt()
    {
        var error = Assert.Single(Validate("""{"tool":"fill","regions":[{"color":"#ff0000","prompt":"roses"},{"color":"#00ff00"}]}""").Errors);

        Assert.Equal(("missingField", "prompt"), (error.Code, error.Parameter));
    }

    [Fact]
    public void Validate_FiveRegions_TooManySayingTheLimitIsFour()
    {
        var result = Validate("""{"tool":"fill","prompt":"x y","regions":[{"color":"#ff0000"},{"color":"#00ff00"},{"color":"#0000ff"},{"color":"#ffff00"},{"color":"#ffffff"}]}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCodes.OutOfRange, "regions"), (error.Code, error.Parameter));
        Assert.Equal("'regions' has 5 regions; at most 4 (each region is its own crop and Runware task, and a job sends at most 4).", error.Message);
    }

    [Theory]
    [InlineData("canny")]
    [InlineData("redux")]
    [InlineData("erase")]
    public void Validate_RegionsOnAnotherTool_AreRefusedNamingFill(string tool)
    {
        var prompt = tool == "erase" ? "" : "\"prompt\":\"a house\",";
        var result = Validate($$"""{"tool":"{{tool}}",{{prompt}}"regions":[{"color":"#ff0000","prompt":"roses"}]}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCodes.ForbiddenParameter, "regions"), (error.Code, error.Parameter));
        Assert.Equal($"'regions' (one prompt per colour of the mask) applies to fill only, not to {tool}.", error.Message);
    }

    [Fact]
    public void Validate_RegionsWithOutpaint_DoNotCombine()
    {
        var error = Assert.Single(Validate("""{"tool":"fill","prompt":"a garden","outpaint":{"left":128},"regions":[{"color":"#ff0000"}]}""").Errors);

        Assert.Equal((ErrorCodes.ForbiddenParameter, "regions"), (error.Code, error.Parameter));
        Assert.StartsWith("'regions' and 'outpaint' do not combine", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""
        "context":{"mode":"off"}
        """, "context.mode", "crop-to-context")]
    [InlineData("""
        "stitch":false
        """, "stitch", "stitching")]
    public void Validate_RegionsWithoutCropsOrStitching_AreRefused(string extra, string parameter, string needs)
    {
        var json = $$"""{{{extra}},"tool":"fill","prompt":"a garden","regions":[{"color":"#ff0000"}]}""";

        var error = Assert.Single(Validate(json).Errors);

        Assert.Equal((ErrorCodes.InvalidValue, parameter), (error.Code, error.Parameter));
        Assert.Contains($"'regions' needs {needs}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[]""", "invalidValue", "regions", "'regions' is empty")]
    [InlineData("""[{"prompt":"roses"}]""", "missingField", "regions[0].color", "'regions[0].color' is required")]
    [InlineData("""[{"color":"red"}]""", "invalidValue", "regions[0].color", "must be a colour as #rrggbb")]
    [InlineData("""[{"color":"#101010"}]""", "invalidValue", "regions[0].color", "black means \"keep\"")]
    [InlineData("""[{"color":"#ff0000"},{"color":"#FF0000"}]""", "invalidValue", "regions[1].color", "is the same colour as regions[0] (#ff0000)")]
    [InlineData("""[{"color":"#ff0000"},{"color":"#f01010"}]""", "invalidValue", "regions[1].color", "is too close to regions[0]")]
    [InlineData("""[{"color":"#ff0000","prompt":"a"}]""", "promptTooShort", "regions[0].prompt", "at least 2 characters")]
    [InlineData("""[{"color":"#ff0000","mask":"data:image/png;base64,AAAA"}]""", "unknownField", "regions[0].mask", "paint every region on the one mask in its own colour")]
    [InlineData("""[{"color":"#ff0000","weight":1}]""", "unknownField", "regions[0].weight", "Unknown field")]
    [InlineData("""["#ff0000"]""", "invalidType", "regions[0]", "must be an object")]
    [InlineData("""{"color":"#ff0000"}""", "invalidType", "regions", "must be an array")]
    public void Validate_ABadRegion_GetsItsOwnErrorNamingIt(string regions, string code, string parameter, string message)
    {
        var result = Validate($$"""{"tool":"fill","prompt":"a garden","regions":{{regions}}}""");

        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors, e => e.Parameter == parameter);
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
