using System.Net;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Tasks;

/// <summary>Forgotten inferences: acknowledged, never run, unknown afterwards, and new again when resubmitted.</summary>
public sealed class ForgetTests
{
    private static readonly string Photo = TestImages.DataUri(TestImages.Gradient(128, 128));

    [Fact]
    public async Task ForgetTrigger_AsyncInference_IsAcknowledgedThenUnknownAndNeverRuns()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Forgettable("emulator:forget");

        var ack = await emulator.PostAsync(task);
        await Task.Delay(300);
        var poll = await emulator.PostAsync(GetResponse(task.Uuid()));
        var details = await emulator.PostAsync(TaskDetails(task.Uuid()));

        ack.AssertOk();
        Assert.Equal("processing", (string?)ack.SingleData()["status"]);
        poll.AssertRejected("taskNotFound", "taskUUID");
        details.AssertRejected("taskNotFound", "taskUUID");
        var stats = await emulator.StatsAsync();
        Assert.Equal(1, TestEmulator.Stat(stats, "tasksForgotten"));
        Assert.Equal(1, TestEmulator.Stat(stats, "inferencesAccepted"));
        Assert.Equal(0, TestEmulator.Stat(stats, "inferencesCharged"));
        Assert.Equal(0, TestEmulator.Stat(stats, "inferencesCompleted") + TestEmulator.Stat(stats, "inferencesFailed"));
    }

    [Fact]
    public async Task ForgetTrigger_Resubmitted_IsAcceptedAsNewEachTime()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Forgettable("emulator:forget");
        (await emulator.PostAsync(task)).AssertOk();

        var again = await emulator.PostAsync(task);
        task["positivePrompt"] = "now remember me";
        var normal = await emulator.PostAsync(task);
        var done = await emulator.PollUntilDoneAsync(task.Uuid());

        again.AssertOk();
        normal.AssertOk();
        Assert.Equal("success", (string?)done.SingleData()["status"]);
        var stats = await emulator.StatsAsync();
        Assert.Equal(2, TestEmulator.Stat(stats, "tasksForgotten"));
        Assert.Equal(1, TestEmulator.Stat(stats, "inferencesCharged"));
        Assert.Equal(0, TestEmulator.Stat(stats, "duplicateSubmissions"));
    }

    [Fact]
    public async Task ForgetOnceTrigger_Resubmitted_RunsNormally()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Forgettable("emulator:forget-once");

        (await emulator.PostAsync(task)).AssertOk();
        var forgotten = await emulator.PostAsync(GetResponse(task.Uuid()));
        var again = await emulator.PostAsync(task);
        var done = await emulator.PollUntilDoneAsync(task.Uuid());

        forgotten.AssertRejected("taskNotFound", "taskUUID");
        again.AssertOk();
        Assert.Equal("success", (string?)done.SingleData()["status"]);
        (await emulator.PostAsync(task)).AssertRejected("duplicateTaskUUID", "taskUUID");
        var stats = await emulator.StatsAsync();
        Assert.Equal(1, TestEmulator.Stat(stats, "tasksForgotten"));
        Assert.Equal(1, TestEmulator.Stat(stats, "inferencesCharged"));
    }

    [Fact]
    public async Task ForgetTrigger_OnAKnownTaskUuid_IsStillADuplicate()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128).Async();
        (await emulator.PostAsync(task)).AssertOk();
        task["positivePrompt"] = "emulator:forget";

        (await emulator.PostAsync(task)).AssertRejected("duplicateTaskUUID", "taskUUID");

        Assert.Equal(0, await emulator.StatAsync("tasksForgotten"));
    }

    [Fact]
    public async Task ForgetTrigger_SyncInference_IsRejected()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128);
        task["positivePrompt"] = "emulator:forget-once";

        var error = (await emulator.PostAsync(task)).AssertRejected("invalidPositivePrompt", "positivePrompt");

        Assert.Contains("async", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgetFault_RequestWithAsyncInference_ForgetsItAndServesTheOtherTasks()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var upload = Upload(Photo);
        var task = Inference(Dev, 128).Async();

        var answer = await emulator.SendAsync(new JsonArray(upload, task).ToJsonString(), r => r.Headers.Add("x-emulator-fault", "forget"));
        await Task.Delay(300);
        var poll = await emulator.PostAsync(GetResponse(task.Uuid()));

        answer.AssertOk();
        Assert.Equal(["imageUpload", "imageInference"], answer.Data.Select(d => (string?)d!["taskType"]));
        Assert.Equal("processing", (string?)answer.Data[1]!["status"]);
        poll.AssertRejected("taskNotFound", "taskUUID");
        var stats = await emulator.StatsAsync();
        Assert.Equal(1, TestEmulator.Stat(stats, "uploads"));
        Assert.Equal(1, TestEmulator.Stat(stats, "tasksForgotten"));
        Assert.Equal(0, TestEmulator.Stat(stats, "inferencesCharged"));
        Assert.Equal(1, (long)stats["faults"]!["forget"]!);
        (await emulator.PostAsync(task)).AssertOk();
    }

    [Fact]
    public async Task ForgetFault_RequestWithoutAsyncInference_IsServedNormallyAndNotCounted()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128);

        var answer = await emulator.SendAsync(new JsonArray(task).ToJsonString(), r => r.Headers.Add("x-emulator-fault", "forget"));

        answer.AssertOk();
        Assert.NotNull(answer.SingleData()["imageURL"]);
        var stats = await emulator.StatsAsync();
        Assert.Equal(0, (long)stats["faults"]!["forget"]!);
        Assert.Equal(0, TestEmulator.Stat(stats, "tasksForgotten"));
        Assert.Null((await emulator.RequestsAsync()).Single()!["fault"]);
    }

    [Fact]
    public async Task ForgetFault_ByRate_ForgetsAsyncInferences()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = "forget:1");
        var task = Inference(Dev, 128).Async();

        (await emulator.PostAsync(task)).AssertOk();

        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.PostAsync(GetResponse(task.Uuid()))).Status);
        Assert.Equal(1, await emulator.StatAsync("tasksForgotten"));
    }

    private static JsonObject Forgettable(string trigger)
    {
        var task = Inference(Dev, 128).Async();
        task["positivePrompt"] = $"forget me {trigger}";
        return task;
    }
}
