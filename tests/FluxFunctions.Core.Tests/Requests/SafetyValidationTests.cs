using System.Text;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using Microsoft.Extensions.Options;
using static FluxFunctions.Core.Tests.Requests.OptionsValidation;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>
/// <c>safety</c> is validated like every other option (unknown or wrong-typed fields and bad names are errors naming the
/// field), takes each field it leaves out from the deployment's default, and the deployment's default settings are
/// checked at start.
/// </summary>
public sealed class SafetyValidationTests
{
    [Theory]
    [InlineData("""{"tool":"canny","prompt":"a house","safety":{"check":"outputs","level":3}}""", "safety.level", ErrorCodes.UnknownField)]
    [InlineData("""{"tool":"canny","prompt":"a house","safety":{"checkContent":true}}""", "safety.checkContent", ErrorCodes.UnknownField)]
    [InlineData("""{"tool":"canny","prompt":"a house","safety":true}""", "safety", ErrorCodes.InvalidType)]
    [InlineData("""{"tool":"canny","prompt":"a house","safety":"outputs"}""", "safety", ErrorCodes.InvalidType)]
    [InlineData("""{"tool":"canny","prompt":"a house","safety":{"check":true}}""", "safety.check", ErrorCodes.InvalidType)]
    [InlineData("""{"tool":"canny","prompt":"a house","safety":{"onFlagged":1}}""", "safety.onFlagged", ErrorCodes.InvalidType)]
    [InlineData("""{"tool":"canny","prompt":"a house","safety":{"check":"inputs"}}""", "safety.check", ErrorCodes.InvalidValue)]
    [InlineData("""{"tool":"canny","prompt":"a house","safety":{"check":"outputs","onFlagged":"delete"}}""", "safety.onFlagged", ErrorCodes.InvalidValue)]
    public void Validate_BadSafety_IsRejectedNamingTheField(string json, string parameter, string code)
    {
        var result = Validate(json);

        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(parameter, error.Parameter);
    }

    [Theory]
    [InlineData("""{"check":"outputs","onFlagged":"quarantine"}""", SafetyCheck.Outputs, SafetyAction.Quarantine)]
    [InlineData("""{"check":"Inputs-And-Outputs","onFlagged":"record"}""", SafetyCheck.InputsAndOutputs, SafetyAction.Record)]
    [InlineData("""{"check":"off"}""", SafetyCheck.Off, SafetyAction.Fail)]
    public void Validate_GoodSafety_IsTheSpec(string safety, SafetyCheck check, SafetyAction onFlagged)
    {
        var result = Validate($$"""{"tool":"redux","safety":{{safety}}}""");

        Assert.True(result.Ok, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(new SafetySpec(check, onFlagged), result.Spec!.Safety);
    }

    [Fact]
    public void Validate_FieldsLeftOut_ComeFromTheDeploymentDefault()
    {
        var fallback = new SafetySpec(SafetyCheck.Outputs, SafetyAction.Quarantine);

        var none = EditSpecValidator.Validate(Parse("""{"tool":"redux"}"""), safetyDefault: fallback);
        var onlyAction = EditSpecValidator.Validate(Parse("""{"tool":"redux","safety":{"onFlagged":"record"}}"""), safetyDefault: fallback);
        var off = EditSpecValidator.Validate(Parse("""{"tool":"redux","safety":{"check":"off"}}"""), safetyDefault: fallback);
        var noDefault = EditSpecValidator.Validate(Parse("""{"tool":"redux"}"""));

        Assert.Equal(fallback, none.Spec!.Safety);
        Assert.Equal(new SafetySpec(SafetyCheck.Outputs, SafetyAction.Record), onlyAction.Spec!.Safety);
        Assert.Equal(new SafetySpec(SafetyCheck.Off, SafetyAction.Quarantine), off.Spec!.Safety);
        Assert.Equal(SafetySpec.Off, noDefault.Spec!.Safety);
    }

    [Theory]
    [InlineData(SafetyCheck.Off, null)]
    [InlineData(SafetyCheck.Outputs, """{"checkContent":true}""")]
    [InlineData(SafetyCheck.InputsAndOutputs, """{"checkContent":true,"checkInputs":true}""")]
    public void BuildInference_Safety_SendsRunwaresObjectOnlyWhenChecking(SafetyCheck check, string? expected)
    {
        var spec = new EditSpec { Tool = FluxTool.Canny, Prompt = "a house", Safety = new SafetySpec(check, SafetyAction.Record) };

        var task = RunwareTaskBuilder.BuildInference(spec, new InferenceImages("seed-uuid", null), Guid.NewGuid(), 512, 512);

        Assert.Equal(expected, task["safety"]?.ToJsonString());
    }

    [Theory]
    [InlineData("outputs", "quarantine", null)]
    [InlineData("OFF", "Fail", null)]
    [InlineData("all", "fail", "Flux:Safety:Check")]
    [InlineData("outputs", "drop", "Flux:Safety:OnFlagged")]
    public void SafetyOptionsValidator_Settings_AreCheckedNamingTheKey(string check, string onFlagged, string? failing)
    {
        var options = new FluxOptions();
        options.Safety.Check = check;
        options.Safety.OnFlagged = onFlagged;

        var result = Validator().Validate(null, options);

        if (failing is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.True(result.Failed);
            Assert.StartsWith(failing, Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SafetyOptionsValidator_QuarantineIsTheOutputContainer_Fails()
    {
        var options = new FluxOptions { QuarantineContainer = "flux-outputs" };

        var result = Validator().Validate(null, options);

        Assert.Contains("Flux:QuarantineContainer", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    private static IValidateOptions<FluxOptions> Validator() => new SafetyOptionsValidator();

    private static EditOptions Parse(string json) =>
        EditOptionsParser.Parse(Encoding.UTF8.GetBytes(json), allowImages: true).Options!;
}
