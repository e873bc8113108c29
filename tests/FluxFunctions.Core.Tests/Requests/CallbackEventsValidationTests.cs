using System.Text;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using static FluxFunctions.Core.Tests.Requests.OptionsValidation;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>'callbackEvents': which events a job POSTs to its callbackUrl, and each way the list is refused.</summary>
public sealed class CallbackEventsValidationTests
{
    private const string Url = "https://hooks.example.com/flux";

    [Fact]
    public void Validate_EventsInAnyOrderAndCase_AreKeptOnceInTheOrderAJobSendsThem()
    {
        var result = Validate($$"""{"tool":"redux","callbackUrl":"{{Url}}","callbackEvents":["Completed","inferring"," started ","canceled"]}""");

        Assert.True(result.Ok, string.Join(" | ", result.Errors.Select(e => e.Message)));
        var spec = result.Spec!;
        Assert.Equal(["started", "inferring", "completed", "canceled"], spec.CallbackEvents);
        Assert.True(spec.Sends("started"));
        Assert.True(spec.Sends("canceled"));
        Assert.False(spec.Sends("failed"));
    }

    [Fact]
    public void Validate_NoCallbackEvents_SendsTheTerminalEventsOnly()
    {
        var spec = Validate($$"""{"tool":"redux","callbackUrl":"{{Url}}"}""").Spec!;

        Assert.Null(spec.CallbackEvents);
        Assert.Equal(["completed", "failed", "canceled"], CallbackEvents.All.Where(spec.Sends));
    }

    [Fact]
    public void Validate_NoCallbackUrl_SendsNothing()
    {
        var spec = Validate("""{"tool":"redux"}""").Spec!;

        Assert.DoesNotContain(CallbackEvents.All, spec.Sends);
    }

    [Theory]
    [InlineData("""["started","finished"]""", "callbackEvents[1]", ErrorCodes.InvalidValue, "Unknown callback event 'finished'")]
    [InlineData("""["started","completed","started"]""", "callbackEvents[2]", ErrorCodes.InvalidValue, "listed twice")]
    [InlineData("""["STARTED","started"]""", "callbackEvents[1]", ErrorCodes.InvalidValue, "listed twice")]
    [InlineData("""[]""", "callbackEvents", ErrorCodes.InvalidValue, "is empty")]
    [InlineData("""["started",3]""", "callbackEvents[1]", ErrorCodes.InvalidType, "must be a string")]
    [InlineData("""["started",null]""", "callbackEvents[1]", ErrorCodes.InvalidType, "must be a string")]
    [InlineData("""["started",["inferring"]]""", "callbackEvents[1]", ErrorCodes.InvalidType, "must be a string")]
    [InlineData("\"started\"", "callbackEvents", ErrorCodes.InvalidType, "must be an array of event names (started, inferring, completed, failed, canceled), got a string")]
    [InlineData("""{"started":true}""", "callbackEvents", ErrorCodes.InvalidType, "must be an array of event names")]
    [InlineData("true", "callbackEvents", ErrorCodes.InvalidType, "must be an array of event names")]
    public void Validate_BadCallbackEvents_AreRejectedNamingTheEntry(string events, string parameter, string code, string message)
    {
        var result = Validate($$"""{"tool":"redux","callbackUrl":"{{Url}}","callbackEvents":{{events}}}""");

        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors);
        Assert.Equal(parameter, error.Parameter);
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CallbackEventsWithoutCallbackUrl_IsRejected()
    {
        var result = Validate("""{"tool":"redux","callbackEvents":["started","completed"]}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.MissingField, error.Code);
        Assert.Equal("callbackEvents", error.Parameter);
        Assert.Contains("needs a 'callbackUrl'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OptionsFile_TakesCallbackEventsLikeAnHttpBody()
    {
        var parsed = EditOptionsParser.Parse(Encoding.UTF8.GetBytes($$"""{"callbackUrl":"{{Url}}","callbackEvents":["inferring"]}"""), allowImages: false);

        Assert.True(parsed.Ok, string.Join(" | ", parsed.Errors.Select(e => e.Message)));
        Assert.Equal(["inferring"], parsed.Options!.CallbackEvents);
        Assert.Equal(["inferring"], EditSpecValidator.Validate(parsed.Options, FluxTool.Redux).Spec!.CallbackEvents);
    }
}
