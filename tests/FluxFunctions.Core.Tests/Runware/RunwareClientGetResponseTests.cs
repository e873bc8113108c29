using FluxFunctions.Runware;

namespace FluxFunctions.Core.Tests.Runware;

public sealed class RunwareClientGetResponseTests
{
    private static readonly string Id = "0b6f3a52-9c3e-4d7a-8e21-5f4b3c2d1e0f";

    [Fact]
    public async Task GetResponseAsync_OneOfTwoDone_IsProcessingWithTheFinishedImage()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Data(Entries.Success(Id, "img-a", 7), Entries.Processing(Id));

        var poll = await h.Client.GetResponseAsync(Id, expectedResults: 2);

        Assert.Equal(PollStatus.Processing, poll.Status);
        Assert.Equal("img-a", Assert.Single(poll.Images).ImageUUID);
        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("getResponse", request.TaskType);
        Assert.Equal(Id, request.TaskUuid);
    }

    [Fact]
    public async Task GetResponseAsync_BothDone_IsSuccessWithImagesSeedsAndCost()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Data(Entries.Success(Id, "img-a", 7), Entries.Success(Id, "img-b", 8));

        var poll = await h.Client.GetResponseAsync(Id, expectedResults: 2);

        Assert.Equal(PollStatus.Success, poll.Status);
        Assert.Equal(["img-a", "img-b"], poll.Images.Select(i => i.ImageUUID));
        Assert.Equal([7L, 8L], poll.Images.Select(i => i.Seed!.Value));
        Assert.All(poll.Images, i => Assert.Equal(0.0013, i.Cost));
        Assert.All(poll.Images, i => Assert.False(i.NSFWContent));
        Assert.Equal("http://127.0.0.1/emulator/images/img-a.png", poll.Images[0].ImageURL);
        Assert.Null(poll.Error);
    }

    [Fact]
    public async Task GetResponseAsync_FewerSuccessesThanExpected_IsNotSuccess()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Data(Entries.Success(Id, "img-a", 7));

        Assert.Equal(PollStatus.Processing, (await h.Client.GetResponseAsync(Id, expectedResults: 2)).Status);
        Assert.Equal(PollStatus.Success, (await h.Client.GetResponseAsync(Id, expectedResults: 1)).Status);
    }

    [Fact]
    public async Task GetResponseAsync_GenerationFailed_IsErrorWithRunwaresError()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Json(200, $$"""{"data":[{"taskType":"imageInference","taskUUID":"{{Id}}","status":"processing"}],"errors":[{"code":"inferenceFailed","message":"The model crashed.","taskUUID":"{{Id}}","taskType":"imageInference","status":"error"}]}""");

        var poll = await h.Client.GetResponseAsync(Id, expectedResults: 2);

        Assert.Equal(PollStatus.Error, poll.Status);
        Assert.Equal("inferenceFailed", poll.Error!.Code);
        Assert.Equal("The model crashed.", poll.Error.Message);
        Assert.Single(h.Server.Requests); // a failed generation is an answer, not a fault: no retry
    }

    [Fact]
    public async Task GetResponseAsync_ErrorStatusInData_IsError()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Data($$"""{"taskType":"imageInference","taskUUID":"{{Id}}","status":"error","message":"NSFW content blocked."}""");

        var poll = await h.Client.GetResponseAsync(Id);

        Assert.Equal(PollStatus.Error, poll.Status);
        Assert.Equal(RunwareErrorCodes.InferenceFailed, poll.Error!.Code);
        Assert.Equal("NSFW content blocked.", poll.Error.Message);
    }

    [Theory]
    [InlineData(400, "taskNotFound", "Task not found.", "taskUUID")]
    [InlineData(400, "invalidTaskUUID", "Unknown taskUUID.", "taskUUID")]
    [InlineData(400, "invalidParameter", "Invalid value.", "taskUUID")]
    [InlineData(400, "somethingUnlisted", "No.", null)]
    [InlineData(404, "notFound", "Not found.", null)]
    [InlineData(200, "unknownTask", "Task not found", "taskUUID")]
    public async Task GetResponseAsync_RefusalOfAnUnknownTask_IsSilentNotAnException(int status, string code, string message, string? parameter)
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Errors(status, Entries.Error(code, message, parameter, Id));

        var poll = await h.Client.GetResponseAsync(Id);

        Assert.Equal(PollStatus.Silent, poll.Status);
        Assert.Empty(poll.Images);
        Assert.Contains(code, poll.Evidence, StringComparison.Ordinal);
        Assert.Single(h.Server.Requests);
    }

    [Theory]
    [InlineData("{\"data\":[]}")]
    [InlineData("{\"data\":[{\"taskType\":\"imageInference\",\"taskUUID\":\"8d1f2a3b-0000-4000-8000-000000000000\",\"status\":\"processing\"}]}")]
    [InlineData("{}")]
    public async Task GetResponseAsync_NoEntryForTheTask_IsSilentNeverProcessing(string body)
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Json(200, body);

        var poll = await h.Client.GetResponseAsync(Id);

        Assert.Equal(PollStatus.Silent, poll.Status);
        Assert.Contains("no entry", poll.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorObjectOnAnEntry_IsErrorWithItsCode()
    {
        // The current schema: a failed generation is a data entry with status "error" and an "error" object.
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Data($$$"""{"taskType":"imageInference","taskUUID":"{{{Id}}}","status":"error","error":{"code":"timeoutProvider","message":"The provider timed out."}}""");

        var poll = await h.Client.GetResponseAsync(Id);

        Assert.Equal(PollStatus.Error, poll.Status);
        Assert.Equal("timeoutProvider", poll.Error!.Code);
        Assert.Equal("The provider timed out.", poll.Error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_TaskFailedOrNotFound_IsSilent()
    {
        // The code the official SDKs map to "not found": it may also mean the task failed, so it is no sign of the task.
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Errors(400, Entries.Error("taskFailedOrNotFound", "Task failed or not found.", "taskUUID", Id));

        Assert.Equal(PollStatus.Silent, (await h.Client.GetResponseAsync(Id)).Status);
    }

    [Fact]
    public async Task GetResponseAsync_RefusalNamingAnotherParameter_IsRejected()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Errors(400, Entries.Error("invalidTaskType", "Unknown task type.", "taskType", Id));

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.GetResponseAsync(Id));

        Assert.Equal("taskType", ex.First.Parameter);
    }

    [Theory]
    [InlineData(402, "insufficientCredits", "no credit left")]
    [InlineData(403, "accessDenied", "may not do this")]
    [InlineData(401, "invalidApiKey", "rejected the API key")]
    public async Task GetResponseAsync_AccountRefused_IsPermanentWithAMessageNamingTheAccount(int status, string code, string says)
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Errors(status, Entries.Error(code, "Refused.", null, Id));

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.GetResponseAsync(Id));

        Assert.Equal(code, ex.First.Code);
        Assert.Contains(says, ex.First.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(RunwareHarness.ApiKey, ex.First.Message, StringComparison.Ordinal);
        Assert.Single(h.Server.Requests); // never retried
    }

    [Fact]
    public async Task GetResponseAsync_ServerError_IsRetried()
    {
        await using var h = await RunwareHarness.StartAsync();
        var calls = 0;
        h.Server.Handler = _ => Interlocked.Increment(ref calls) == 1
            ? StubReply.Errors(500, Entries.Error("internalServerError", "Boom."))
            : StubReply.Data(Entries.Processing(Id));

        Assert.Equal(PollStatus.Processing, (await h.Client.GetResponseAsync(Id)).Status);
        Assert.Equal(2, h.Server.Requests.Count);
    }
}
