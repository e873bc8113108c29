using System.Net;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Tasks;

/// <summary>An emulator whose inferences take 200 ms.</summary>
public sealed class SlowEmulatorFixture : IAsyncLifetime
{
    private TestEmulator? emulator;

    public TestEmulator Emulator => emulator ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => emulator = await TestEmulator.StartAsync(o => o.LatencyMs = 200);

    public async Task DisposeAsync()
    {
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }
    }
}

/// <summary>Async delivery, getResponse, duplicates and the prompt triggers (protocol §7–8).</summary>
public sealed class AsyncDeliveryTests(SlowEmulatorFixture fixture) : IClassFixture<SlowEmulatorFixture>
{
    private TestEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task AsyncInference_Submitted_AnswersProcessingThenSucceedsAfterLatency()
    {
        var task = Inference(Dev).Async();
        task["seed"] = 77;

        var submit = await Emulator.PostAsync(task);
        var done = await Emulator.PollUntilDoneAsync(task.Uuid());

        submit.AssertOk();
        var ack = submit.SingleData();
        Assert.Equal("processing", (string?)ack["status"]);
        Assert.Equal(task.Uuid(), (string?)ack["taskUUID"]);
        done.AssertOk();
        var result = done.SingleData();
        Assert.Equal("success", (string?)result["status"]);
        Assert.Equal("imageInference", (string?)result["taskType"]);
        Assert.Equal(77L, (long)result["seed"]!);
        Assert.True((double)result["cost"]! > 0);
        await Emulator.GetImageAsync((string)result["imageURL"]!);
    }

    [Fact]
    public async Task GetResponse_WhileProcessing_ReportsOneProcessingEntryPerResult()
    {
        var task = Inference(Dev).Async();
        task["numberResults"] = 2;
        task["positivePrompt"] = "a slow one emulator:slow=5000";
        (await Emulator.PostAsync(task)).AssertOk();

        var poll = await Emulator.PostAsync(GetResponse(task.Uuid()));

        poll.AssertOk();
        Assert.Equal(2, poll.Data.Count);
        Assert.All(poll.Data, d => Assert.Equal("processing", (string?)d!["status"]));
    }

    [Fact]
    public async Task GetResponse_UnknownTask_IsTaskNotFound()
    {
        var unknown = NewUuid();

        var answer = await Emulator.PostAsync(GetResponse(unknown));

        var error = answer.AssertRejected("taskNotFound", "taskUUID");
        Assert.Equal(unknown, (string?)error["taskUUID"]);
    }

    [Fact]
    public async Task GetResponse_OfAnUploadTask_IsTaskNotFound()
    {
        var upload = Upload(TestImages.DataUri(TestImages.Gradient(128, 128)));
        (await Emulator.PostAsync(upload)).AssertOk();

        (await Emulator.PostAsync(GetResponse(upload.Uuid()))).AssertRejected("taskNotFound", "taskUUID");
    }

    [Fact]
    public async Task AsyncInference_DuplicateTaskUuid_IsRejectedAndStartsNothing()
    {
        var task = Inference(Dev).Async();
        (await Emulator.PostAsync(task)).AssertOk();
        var before = await Emulator.StatsAsync();

        var duplicate = await Emulator.PostAsync(task);

        duplicate.AssertRejected("duplicateTaskUUID", "taskUUID");
        var after = await Emulator.StatsAsync();
        Assert.Equal(TestEmulator.Stat(before, "inferencesAccepted"), TestEmulator.Stat(after, "inferencesAccepted"));
        Assert.Equal(TestEmulator.Stat(before, "duplicateSubmissions") + 1, TestEmulator.Stat(after, "duplicateSubmissions"));
    }

    [Fact]
    public async Task Post_TaskUuidOfAnEarlierUpload_IsADuplicateForAnInference()
    {
        var upload = Upload(TestImages.DataUri(TestImages.Gradient(128, 128)));
        (await Emulator.PostAsync(upload)).AssertOk();
        var inference = Inference(Dev);
        inference["taskUUID"] = upload.Uuid().ToUpperInvariant();

        (await Emulator.PostAsync(inference)).AssertRejected("duplicateTaskUUID", "taskUUID");
    }

    [Fact]
    public async Task AsyncInference_FailTrigger_IsAcceptedThenReportsInferenceFailed()
    {
        var task = Inference(Dev).Async();
        task["positivePrompt"] = "emulator:fail please";
        var before = await Emulator.StatsAsync();

        (await Emulator.PostAsync(task)).AssertOk();
        var done = await Emulator.PollUntilDoneAsync(task.Uuid());

        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Empty(done.Data);
        var error = done.SingleError();
        Assert.Equal("inferenceFailed", (string?)error["code"]);
        Assert.Equal("error", (string?)error["status"]);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
        var after = await Emulator.StatsAsync();
        Assert.Equal(TestEmulator.Stat(before, "inferencesFailed") + 1, TestEmulator.Stat(after, "inferencesFailed"));
    }

    [Fact]
    public async Task SyncInference_FailTrigger_Is400InferenceFailed()
    {
        var task = Inference(Dev);
        task["positivePrompt"] = "emulator:fail now";

        var answer = await Emulator.PostAsync(task);

        var error = answer.AssertRejected("inferenceFailed", null);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
    }

    [Fact]
    public async Task SyncInference_WithLatency_AnswersTheResultAndIsPollableLater()
    {
        var task = Inference(Dev);

        var answer = await Emulator.PostAsync(task);
        var poll = await Emulator.PostAsync(GetResponse(task.Uuid()));

        answer.AssertOk();
        Assert.Null(answer.SingleData()["status"]);
        Assert.Equal("success", (string?)poll.SingleData()["status"]);
        Assert.Equal((string?)answer.SingleData()["imageUUID"], (string?)poll.SingleData()["imageUUID"]);
    }

    [Fact]
    public async Task SyncInference_ClientGivesUp_InferenceStillCompletes()
    {
        var task = Inference(Dev);
        task["positivePrompt"] = "take your time emulator:slow=3000";
        using var impatient = new HttpClient { BaseAddress = Emulator.Emulator.BaseAddress };
        using var givingUp = new CancellationTokenSource();
        var post = impatient.PostAsync("v1", new StringContent(new JsonArray(task).ToJsonString(), System.Text.Encoding.UTF8, "application/json"), givingUp.Token);

        // The client gives up once the emulator has the task (not after a fixed time, which a busy machine can outrun
        // before the request even arrives), while the inference is still running.
        await TestEmulator.EventuallyAsync(async () => (await Emulator.PostAsync(GetResponse(task.Uuid()))).Data.Count > 0, "the emulator to know the task");
        await givingUp.CancelAsync();
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => post);
        var done = await Emulator.PollUntilDoneAsync(task.Uuid());

        Assert.Equal("success", (string?)done.SingleData()["status"]);
    }
}
