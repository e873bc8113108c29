using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Webhooks;
using FluxFunctions.Errors;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Tests.Runware;

/// <summary>
/// Runware's safety answers however they arrive: <c>NSFWContent</c> becomes a flagged result (getResponse and webhooks),
/// and a safety refusal code becomes <c>contentFlagged</c> (submission, getResponse, webhooks); other codes pass unchanged.
/// </summary>
public sealed class SafetyAnswersTests
{
    private const string Task = "5f0c4b1e-8a57-4c1e-9d2a-0b6f3c7a9e11";
    private static readonly SecretRedactor Redactor = new("rw-secret-key");

    [Fact]
    public void PollResults_NsfwContent_FlagsThatResultOnly()
    {
        var poll = new InferencePoll(PollStatus.Success, [new GeneratedImage(Task, "a", "https://x/a.png", 1, null, false), new GeneratedImage(Task, "b", "https://x/b.png", 2, null, true), new GeneratedImage(Task, "c", "https://x/c.png", 3, null, null)]);

        var result = PollResults.From(poll);

        Assert.Equal([false, true, false], result.Images.Select(i => i.Flagged));
    }

    [Theory]
    [InlineData("nsfwContentDetected")]
    [InlineData("contentPolicyViolation")]
    [InlineData("promptBlocked")]
    [InlineData("imageBlocked")]
    public void PollResults_SafetyRefusal_IsContentFlaggedKeepingRunwaresCode(string code)
    {
        var result = PollResults.From(new InferencePoll(PollStatus.Error, [], new RunwareError(code, "Refused.", "safety")));

        Assert.Equal(ErrorCodes.ContentFlagged, result.Error?.Code);
        Assert.Contains(code, result.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PollResults_OtherError_PassesUnchanged()
    {
        var result = PollResults.From(new InferencePoll(PollStatus.Error, [], new RunwareError("inferenceFailed", "Failed.")));

        Assert.Equal("inferenceFailed", result.Error?.Code);
    }

    [Fact]
    public void RejectedException_SafetyRefusalAtSubmission_IsContentFlagged()
    {
        var ex = new RunwareRejectedException([new RunwareError("promptBlocked", "The prompt was blocked.", "positivePrompt")], 400, "imageInference", Task);

        Assert.Equal(ErrorCodes.ContentFlagged, ex.First.Code);
        Assert.Equal("positivePrompt", ex.First.Parameter);
    }

    [Fact]
    public void WebhookReader_FlaggedEntryAndRefusal_AreReadLikePolls()
    {
        var flagged = RunwareWebhookReader.Read($$"""{"taskType":"imageInference","taskUUID":"{{Task}}","status":"success","imageUUID":"img-1","imageURL":"https://im.runware.ai/img-1.png","seed":42,"NSFWContent":true}""", Redactor);
        var refused = RunwareWebhookReader.Read($$"""{"code":"nsfwContentDetected","message":"Flagged.","taskType":"imageInference","taskUUID":"{{Task}}","status":"error"}""", Redactor);

        Assert.True(Assert.Single(flagged!.Images).Flagged);
        Assert.Equal(ErrorCodes.ContentFlagged, refused!.Error?.Code);
    }
}
