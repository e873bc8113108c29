using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using static FluxFunctions.Core.Tests.Requests.OptionsValidation;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>The kontext tool's rules, read from its description and its model choices (dev, pro, max).</summary>
public sealed class KontextValidationTests
{
    [Theory]
    [InlineData("""{"tool":"kontext","prompt":"make the sky stormy"}""", "runware:106@1")]
    [InlineData("""{"tool":"kontext","prompt":"make the sky stormy","model":"dev","steps":28,"cfgScale":2.5}""", "runware:106@1")]
    [InlineData("""{"tool":"kontext","prompt":"make the sky stormy","model":"pro"}""", "bfl:3@1")]
    [InlineData("""{"tool":"kontext","prompt":"make the sky stormy","model":"bfl:4@1","width":1248,"height":832}""", "bfl:4@1")]
    [InlineData("""{"tool":"kontext","prompt":"make the sky stormy","width":1504,"height":688}""", "runware:106@1")]
    public void Validate_Kontext_ChoosesTheModel(string json, string model)
    {
        var result = Validate(json);

        Assert.True(result.Ok, string.Join(" | ", result.Errors.Select(e => e.Message)));
        Assert.Equal(model, ToolCatalog.Kontext.ModelFor(result.Spec!));
    }

    [Theory]
    [InlineData("""{"tool":"kontext","model":"pro","prompt":"a b c","steps":20}""", "steps", ErrorCodes.ForbiddenParameter)]
    [InlineData("""{"tool":"kontext","model":"max","prompt":"a b c","cfgScale":3}""", "cfgScale", ErrorCodes.ForbiddenParameter)]
    [InlineData("""{"tool":"kontext","prompt":"a b c","width":1024}""", "height", ErrorCodes.MissingField)]
    [InlineData("""{"tool":"kontext","model":"pro","prompt":"a b c","width":1504,"height":688}""", "width", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"kontext","prompt":"a b c","width":1024,"height":768}""", "width", ErrorCodes.OutOfRange)]
    [InlineData("""{"tool":"kontext","model":"ultra","prompt":"a b c"}""", "model", ErrorCodes.InvalidValue)]
    [InlineData("""{"tool":"kontext"}""", "prompt", ErrorCodes.MissingField)]
    [InlineData("""{"tool":"fill","prompt":"a b c","model":"pro"}""", "model", ErrorCodes.ForbiddenParameter)]
    public void Validate_KontextBreakingARule_NamesTheField(string json, string field, string code)
    {
        var result = Validate(json);

        Assert.False(result.Ok);
        Assert.Contains(result.Errors, e => e.Parameter == field && e.Code == code);
    }

    [Theory]
    [InlineData(4000, 3000, 1184, 880)]
    [InlineData(1920, 1080, 1392, 752)]
    [InlineData(1000, 1000, 1024, 1024)]
    [InlineData(600, 1400, 672, 1568)]
    public void Nearest_ProSizes_PicksThePairClosestToTheAspect(int w, int h, int expectedW, int expectedH)
    {
        var pairs = ToolCatalog.Kontext.ChoiceFor("pro")!.SizePairs!;

        Assert.Equal(new PixelSize(expectedW, expectedH), SizePlanner.Nearest([.. pairs.Select(p => new PixelSize(p.Width, p.Height))], w, h));
    }
}
