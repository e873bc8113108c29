using FluxFunctions.Core.Runware;

namespace FluxFunctions.Core.Tests.Runware;

/// <summary>Paying twice is the sin: a submit is idempotent per taskUUID.</summary>
public sealed class RunwareClientSubmitTests
{
    [Fact]
    public async Task SubmitInferenceAsync_Accepted_SendsTheTaskOnceAsGiven()
    {
        await using var h = await RunwareHarness.StartAsync();
        var id = Guid.NewGuid();
        h.Server.Handler = r => StubReply.Data(Entries.Processing(r.TaskUuid!));

        Assert.Equal(SubmitOutcome.Accepted, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(id)));

        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("imageInference", request.TaskType);
        Assert.Equal(id.ToString(), request.TaskUuid);
        Assert.Equal("async", (string?)request.Task!["deliveryMethod"]);
        Assert.Equal("runware:102@1", (string?)request.Task!["model"]);
    }

    [Fact]
    public async Task SubmitInferenceAsync_AnswerLostAfterRunwareAccepted_ChecksAndReturnsAlreadyKnownWithoutResubmitting()
    {
        await using var h = await RunwareHarness.StartAsync();
        var id = Guid.NewGuid().ToString();
        h.Server.Handler = r => r.TaskType switch
        {
            "imageInference" => StubReply.Errors(502, Entries.Error("badGateway", "The answer was lost.")), // processed, answer lost
            "getResponse" => StubReply.Data(Entries.Processing(r.TaskUuid!)),
            _ => StubReply.Errors(400, Entries.Error("invalidParameter", "unexpected")),
        };

        var outcome = await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.Parse(id)));

        Assert.Equal(SubmitOutcome.AlreadyKnown, outcome);
        Assert.Single(h.Server.OfType("imageInference"));
        var check = Assert.Single(h.Server.OfType("getResponse"));
        Assert.Equal(id, check.TaskUuid);
        Assert.Equal(["imageInference", "getResponse"], h.Server.Requests.Select(r => r.TaskType));
    }

    [Fact]
    public async Task SubmitInferenceAsync_MalformedAnswerThenTaskFinishedOnCheck_ReturnsAlreadyKnown()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => r.TaskType == "getResponse"
            ? StubReply.Data(Entries.Success(r.TaskUuid!, "img-1", 42))
            : StubReply.Json(200, "{\"data\":[{\"taskType\":\"imageInfer");

        Assert.Equal(SubmitOutcome.AlreadyKnown, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));
        Assert.Single(h.Server.OfType("imageInference"));
    }

    [Fact]
    public async Task SubmitInferenceAsync_FailedAndUnknownOnCheck_ResubmitsOnceWithTheSameTaskUuid()
    {
        await using var h = await RunwareHarness.StartAsync();
        var submits = 0;
        h.Server.Handler = r => r.TaskType switch
        {
            "getResponse" => StubReply.Errors(400, Entries.NotFound(r.TaskUuid!)),
            _ => Interlocked.Increment(ref submits) == 1
                ? StubReply.Errors(500, Entries.Error("internalServerError", "Boom."))
                : StubReply.Data(Entries.Processing(r.TaskUuid!)),
        };
        var id = Guid.NewGuid().ToString();

        var outcome = await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.Parse(id)));

        Assert.Equal(SubmitOutcome.Accepted, outcome);
        Assert.Equal(["imageInference", "getResponse", "imageInference"], h.Server.Requests.Select(r => r.TaskType));
        Assert.All(h.Server.Requests, r => Assert.Equal(id, r.TaskUuid));
        Assert.NotEmpty(h.Logs.WithEventId(1122));
    }

    [Fact]
    public async Task SubmitInferenceAsync_TimedOutAttempt_ChecksBeforeRetrying()
    {
        await using var h = await RunwareHarness.StartAsync(o => o.AttemptTimeoutSeconds = 1);
        h.Server.Handler = r => r.TaskType == "getResponse"
            ? StubReply.Data(Entries.Processing(r.TaskUuid!))
            : StubReply.Hang(TimeSpan.FromSeconds(60));

        Assert.Equal(SubmitOutcome.AlreadyKnown, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));
        Assert.Equal(["imageInference", "getResponse"], h.Server.Requests.Select(r => r.TaskType));
    }

    [Fact]
    public async Task SubmitInferenceAsync_DuplicateTaskUuid_ReturnsAlreadyKnown()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => StubReply.Errors(400, Entries.Error("duplicateTaskUUID", "This taskUUID was already used.", "taskUUID", r.TaskUuid));

        Assert.Equal(SubmitOutcome.AlreadyKnown, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task SubmitInferenceAsync_RejectedAfterAFailedAttempt_IsNotRetriedAgain()
    {
        await using var h = await RunwareHarness.StartAsync();
        var submits = 0;
        h.Server.Handler = r => r.TaskType switch
        {
            "getResponse" => StubReply.Errors(400, Entries.NotFound(r.TaskUuid!)),
            _ => Interlocked.Increment(ref submits) == 1
                ? StubReply.Errors(500, Entries.Error("internalServerError", "Boom."))
                : StubReply.Errors(400, Entries.Error("invalidModel", "Unknown model.", "model")),
        };

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));

        Assert.Equal("model", ex.First.Parameter);
        Assert.Equal(3, h.Server.Requests.Count);
    }
}
