using FluxFunctions.Core.Webhooks;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Tests.Webhooks;

/// <summary>The bodies Runware (and the emulator) post to a webhookURL, read leniently but strictly about the task.</summary>
public sealed class RunwareWebhookReaderTests
{
    private const string Task = "5f0c4b1e-8a57-4c1e-9d2a-0b6f3c7a9e11";
    private static readonly SecretRedactor Redactor = new("rw-secret-key");

    [Fact]
    public void Read_ResultEntry_IsOneImage()
    {
        var read = RunwareWebhookReader.Read($$"""{"taskType":"imageInference","taskUUID":"{{Task}}","status":"success","imageUUID":"img-1","imageURL":"https://im.runware.ai/img-1.png","seed":42,"cost":0.0013}""", Redactor);

        Assert.NotNull(read);
        Assert.Equal(Task, read.TaskUuid);
        Assert.Null(read.Error);
        var image = Assert.Single(read.Images);
        Assert.Equal("img-1", image.ImageUUID);
        Assert.Equal(42, image.Seed);
        Assert.Equal(0.0013, image.Cost);
    }

    [Fact]
    public void Read_ErrorObject_IsTheTasksError()
    {
        var read = RunwareWebhookReader.Read($$"""{"code":"inferenceFailed","message":"The provider failed (rw-secret-key).","taskType":"imageInference","taskUUID":"{{Task}}","status":"error"}""", Redactor);

        Assert.NotNull(read);
        Assert.Empty(read.Images);
        Assert.Equal("inferenceFailed", read.Error?.Code);
        Assert.DoesNotContain("rw-secret-key", read.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AnswerEnvelopeAndArray_AreAccepted()
    {
        var envelope = RunwareWebhookReader.Read($$"""{"data":[{"taskType":"imageInference","taskUUID":"{{Task}}","imageUUID":"a","imageURL":"https://x/a.png"},{"taskType":"imageInference","taskUUID":"{{Task}}","imageUUID":"b","imageURL":"https://x/b.png"}]}""", Redactor);
        var array = RunwareWebhookReader.Read($$"""[{"taskType":"imageInference","taskUUID":"{{Task.ToUpperInvariant()}}","imageUUID":"a","imageURL":"https://x/a.png"}]""", Redactor);

        Assert.NotNull(envelope);
        Assert.Equal("a,b", string.Join(",", envelope.Images.Select(i => i.ImageUUID)));
        Assert.Equal(Task, array?.TaskUuid);
    }

    [Fact]
    public void Read_ProcessingEntry_HasNeitherImagesNorError()
    {
        var read = RunwareWebhookReader.Read($$"""{"taskType":"imageInference","taskUUID":"{{Task}}","status":"processing"}""", Redactor);

        Assert.NotNull(read);
        Assert.Empty(read.Images);
        Assert.Null(read.Error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("""{"imageUUID":"a","imageURL":"https://x/a.png"}""")]
    [InlineData("""{"taskUUID":"not-a-uuid","imageUUID":"a"}""")]
    [InlineData("""[{"taskUUID":"5f0c4b1e-8a57-4c1e-9d2a-0b6f3c7a9e11","imageUUID":"a"},{"taskUUID":"6a1d5c2f-9b68-4d2f-8e3b-1c7a4d8b0f22","imageUUID":"b"}]""")]
    public void Read_NotOneTasksResult_IsNull(string body) => Assert.Null(RunwareWebhookReader.Read(body, Redactor));
}
