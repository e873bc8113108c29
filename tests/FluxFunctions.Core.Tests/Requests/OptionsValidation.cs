using System.Text;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>Parses an options JSON and validates it as the pipeline does, with the parser's and the validator's errors together.</summary>
internal static class OptionsValidation
{
    public static ValidationResult Validate(string json, FluxTool? fromPath = null)
    {
        var parsed = EditOptionsParser.Parse(Encoding.UTF8.GetBytes(json), allowImages: true);
        Assert.NotNull(parsed.Options);
        var result = EditSpecValidator.Validate(parsed.Options!, fromPath);
        return result with { Errors = [.. parsed.Errors, .. result.Errors] };
    }
}
