using FluxFunctions.Runware;

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
            "getTaskDetails" => StubReply.Errors(400, Entries.NotFound(r.TaskUuid!)),
            _ => Interlocked.Increment(ref submits) == 1
                ? StubReply.Errors(500, Entries.Error("internalServerError", "Boom."))
                : StubReply.Data(Entries.Processing(r.TaskUuid!)),
        };
        var id = Guid.NewGuid().ToString();

        var outcome = await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.Parse(id)));

        Assert.Equal(SubmitOutcome.Accepted, outcome);
        Assert.Equal(["imageInference", "getResponse", "getTaskDetails", "imageInference"], h.Server.Requests.Select(r => r.TaskType));
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

    [Theory]
    [InlineData("conflictTaskUUID")]
    [InlineData("duplicateTaskUUID")]
    public async Task SubmitInferenceAsync_RefusedAsAConflict_IsAlreadyKnownWithoutALookUp(string code)
    {
        // conflictTaskUUID is what the official SDKs expect Runware to answer for a repeated taskUUID.
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => StubReply.Errors(400, Entries.Error(code, "The taskUUID is in use.", "taskUUID", r.TaskUuid));

        Assert.Equal(SubmitOutcome.AlreadyKnown, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));
        Assert.Equal(["imageInference"], h.Server.Requests.Select(r => r.TaskType));
    }

    [Fact]
    public async Task SubmitInferenceAsync_RejectedAfterAFailedAttempt_IsNotRetriedAgain()
    {
        await using var h = await RunwareHarness.StartAsync();
        var submits = 0;
        h.Server.Handler = r => r.TaskType switch
        {
            "getResponse" or "getTaskDetails" => StubReply.Json(200, "{\"data\":[]}"),
            _ => Interlocked.Increment(ref submits) == 1
                ? StubReply.Errors(500, Entries.Error("internalServerError", "Boom."))
                : StubReply.Errors(400, Entries.Error("invalidModel", "Unknown model.", "model")),
        };

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));

        Assert.Equal("model", ex.First.Parameter);
        Assert.Equal(["imageInference", "getResponse", "getTaskDetails", "imageInference"], h.Server.Requests.Select(r => r.TaskType));
    }

    [Fact]
    public async Task SubmitInferenceAsync_FirstAttempt_SendsWithoutAskingFirst()
    {
        // The issue that broke every job: asking getResponse before the first submission, and reading an empty answer
        // as "already there". The first submission of a taskUUID goes straight out.
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => r.TaskType == "imageInference" ? StubReply.Data(Entries.Processing(r.TaskUuid!)) : StubReply.Json(200, "{\"data\":[]}");

        Assert.Equal(SubmitOutcome.Accepted, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));
        Assert.Equal(["imageInference"], h.Server.Requests.Select(r => r.TaskType));
    }

    [Theory]
    [InlineData(200, "{\"data\":[]}")]
    [InlineData(400, "{\"errors\":[{\"code\":\"taskNotFound\",\"message\":\"Not found.\",\"parameter\":\"taskUUID\"}]}")]
    [InlineData(404, "{\"errors\":[{\"code\":\"notFound\",\"message\":\"Not found.\"}]}")]
    public async Task SubmitInferenceAsync_InDoubtAndRunwareShowsNothing_LooksUpThenSubmits(int status, string unknown)
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => r.TaskType == "imageInference" ? StubReply.Data(Entries.Processing(r.TaskUuid!)) : StubReply.Json(status, unknown);

        Assert.Equal(SubmitOutcome.Accepted, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid()), inDoubt: true));
        Assert.Equal(["getResponse", "getTaskDetails", "imageInference"], h.Server.Requests.Select(r => r.TaskType));
    }

    [Fact]
    public async Task SubmitInferenceAsync_InDoubtAndTaskDetailsShowIt_IsAlreadyKnownWithoutSubmitting()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => r.TaskType switch
        {
            "getTaskDetails" => StubReply.Data($$$"""{"taskType":"getTaskDetails","taskUUID":"{{{r.TaskUuid}}}","request":{"taskType":"imageInference"},"response":{"status":"processing"}}"""),
            _ => StubReply.Json(200, "{\"data\":[]}"),
        };

        Assert.Equal(SubmitOutcome.AlreadyKnown, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid()), inDoubt: true));
        Assert.Empty(h.Server.OfType("imageInference"));
    }

    [Fact]
    public async Task SubmitInferenceAsync_RefusalNamingTheTaskUuidAndRunwareShowsIt_IsAlreadyKnown()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => r.TaskType switch
        {
            "imageInference" => StubReply.Errors(400, Entries.Error("alreadyExists", "A task with this UUID exists.", "taskUUID", r.TaskUuid)),
            _ => StubReply.Data(Entries.Processing(r.TaskUuid!)),
        };

        Assert.Equal(SubmitOutcome.AlreadyKnown, await h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));
        Assert.Equal(["imageInference", "getResponse"], h.Server.Requests.Select(r => r.TaskType));
    }

    [Fact]
    public async Task SubmitInferenceAsync_RefusalNamingTheTaskUuidAndRunwareShowsNothing_IsRejected()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => r.TaskType switch
        {
            "imageInference" => StubReply.Errors(400, Entries.Error("invalidTaskUUID", "Not a UUIDv4.", "taskUUID", r.TaskUuid)),
            _ => StubReply.Json(200, "{\"data\":[]}"),
        };

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));

        Assert.Equal("invalidTaskUUID", ex.First.Code);
        Assert.Single(h.Server.OfType("imageInference"));
    }

    [Fact]
    public async Task SubmitInferenceAsync_NoCredit_IsPermanentAndNamesTheAccount()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Errors(402, Entries.Error("insufficientCredits", "Insufficient credits."));

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.SubmitInferenceAsync(RunwareClientProtocolTests.Inference(Guid.NewGuid())));

        Assert.Equal("insufficientCredits", ex.First.Code);
        Assert.Contains("no credit left", ex.First.Message, StringComparison.Ordinal);
        Assert.Contains("Insufficient credits.", ex.First.Message, StringComparison.Ordinal);
        Assert.Single(h.Server.Requests);
    }

    [Theory]
    [InlineData(true, "{\"data\":[{\"taskType\":\"getTaskDetails\",\"taskUUID\":\"@ID@\",\"request\":{\"taskType\":\"imageInference\"}}]}")]
    [InlineData(false, "{\"data\":[]}")]
    [InlineData(false, "{\"data\":[{\"taskType\":\"getTaskDetails\",\"taskUUID\":\"0b6f3a52-9c3e-4d7a-8e21-000000000000\",\"request\":{}}]}")]
    public async Task FindTaskAsync_OnlyTheTasksOwnDetailsCount(bool found, string details)
    {
        await using var h = await RunwareHarness.StartAsync();
        var id = Guid.NewGuid().ToString();
        h.Server.Handler = r => r.TaskType == "getTaskDetails" ? StubReply.Json(200, details.Replace("@ID@", id, StringComparison.Ordinal)) : StubReply.Json(200, "{\"data\":[]}");

        var lookup = await h.Client.FindTaskAsync(id);

        Assert.Equal(found, lookup.Found);
        Assert.Equal(["getResponse", "getTaskDetails"], h.Server.Requests.Select(r => r.TaskType));
    }
}
