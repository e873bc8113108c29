using System.Text;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using static FluxFunctions.Core.Tests.Requests.OptionsValidation;

namespace FluxFunctions.Core.Tests.Requests;

public sealed class EditSpecValidatorTests
{
    [Theory]
    [InlineData("""{"tool":"fill","prompt":"a red door","maskMargin":32}""", "maskMargin")]
    [InlineData("""{"tool":"fill","prompt":"a red door","strength":0.8}""", "strength")]
    [InlineData("""{"tool":"canny","prompt":"a house","weight":0.5}""", "weight")]
    [InlineData("""{"tool":"canny","prompt":"a house","controlNet":{"model":"x"}}""", "controlNet")]
    [InlineData("""{"tool":"depth","prompt":"a house","weight":0.5}""", "weight")]
    [InlineData("""{"tool":"depth","prompt":"a house","controlNet":{}}""", "controlNet")]
    [InlineData("""{"tool":"redux","weight":0.5}""", "weight")]
    public void Validate_ForbiddenParameter_IsRejectedNamingIt(string json, string parameter)
    {
        var result = Validate(json);

        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.ForbiddenParameter, error.Code);
        Assert.Equal(parameter, error.Parameter);
    }

    [Theory]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","width":1000}""", "width", ErrorCodes.NotMultipleOf64)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","height":4096}""", "height", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","width":64}""", "width", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","steps":0}""", "steps", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","steps":101}""", "steps", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","cfgScale":50.5}""", "cfgScale", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","numberResults":5}""", "numberResults", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","outputFormat":"GIF"}""", "outputFormat", ErrorCodes.InvalidValue)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","outputFormat":"JPG","outputQuality":19}""", "outputQuality", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","outputFormat":"WEBP","outputQuality":100}""", "outputQuality", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","outputQuality":80}""", "outputQuality", ErrorCodes.InvalidValue)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","outputFormat":"PNG","outputQuality":80}""", "outputQuality", ErrorCodes.InvalidValue)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","outputFormat":"JPG","outputQuality":"high"}""", "outputQuality", ErrorCodes.InvalidType)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","steps":"many"}""", "steps", ErrorCodes.InvalidType)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","steps":2.5}""", "steps", ErrorCodes.InvalidType)]
    [InlineData("""{"tool":"paint","prompt":"ok prompt"}""", "tool", ErrorCodes.UnknownTool)]
    [InlineData("""{"tool":"fill"}""", "prompt", ErrorCodes.MissingField)]
    [InlineData("""{"tool":"fill","prompt":"ok prompt","colour":1}""", "colour", ErrorCodes.UnknownField)]
    public void Validate_OutOfRangeOrWrong_IsRejectedNeverClamped(string json, string parameter, string code)
    {
        var result = Validate(json);

        Assert.False(result.Ok);
        Assert.Contains(result.Errors, e => e.Parameter == parameter && e.Code == code);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEachOfThem()
    {
        var result = Validate("""{"tool":"fill","prompt":"ok prompt","width":1000,"steps":500,"strength":1,"numberResults":0}""");

        Assert.Equal(4, result.Errors.Count);
        Assert.Equal(new[] { "numberResults", "steps", "strength", "width" }, result.Errors.Select(e => e.Parameter!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Validate_PromptOverRunwareLimit_IsRejected()
    {
        var result = Validate($$"""{"tool":"canny","prompt":"{{new string('a', 3001)}}"}""");

        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.PromptTooLong && e.Parameter == "prompt");
    }

    [Fact]
    public void Validate_ReduxWithoutPrompt_IsValid()
    {
        var result = Validate("""{"tool":"redux"}""");

        Assert.True(result.Ok);
        Assert.Equal("", result.Spec!.Prompt);
        Assert.Equal("runware:101@1", result.Spec.BaseModel);
    }

    [Fact]
    public void Validate_ToolFromFolder_IsUsedWhenBodyHasNone()
    {
        var result = Validate("""{"prompt":"a cat"}""", FluxTool.Canny);

        Assert.True(result.Ok);
        Assert.Equal(FluxTool.Canny, result.Spec!.Tool);
        Assert.Equal(PreprocessMode.Local, result.Spec.Preprocess.Mode);
        Assert.Equal(100, result.Spec.Preprocess.LowThreshold);
        Assert.Equal(200, result.Spec.Preprocess.HighThreshold);
    }

    [Fact]
    public void Validate_DepthDefaultsToRunwarePreprocessing_AndRefusesLocal()
    {
        Assert.Equal(PreprocessMode.Runware, Validate("""{"tool":"depth","prompt":"a cat"}""").Spec!.Preprocess.Mode);

        var local = Validate("""{"tool":"depth","prompt":"a cat","preprocess":{"mode":"local"}}""");
        Assert.Contains(local.Errors, e => e.Parameter == "preprocess.mode");
    }

    [Fact]
    public void Validate_ReduxBaseModelThatIsTheAdapter_IsRejected()
    {
        var result = Validate("""{"tool":"redux","baseModel":"runware:105@1"}""");

        Assert.Contains(result.Errors, e => e.Parameter == "baseModel");
    }

    [Fact]
    public void Parse_NotJson_GivesInvalidJson()
    {
        var parsed = EditOptionsParser.Parse(Encoding.UTF8.GetBytes("{\"tool\": fill"), allowImages: true);

        Assert.Null(parsed.Options);
        Assert.Equal(ErrorCodes.InvalidJson, Assert.Single(parsed.Errors).Code);
    }

    [Fact]
    public void Parse_DeepNesting_GivesInvalidJsonNotACrash()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        var parsed = EditOptionsParser.Parse(Encoding.UTF8.GetBytes("{\"tool\":" + deep + "}"), allowImages: true);

        Assert.Equal(ErrorCodes.InvalidJson, Assert.Single(parsed.Errors).Code);
    }
}
