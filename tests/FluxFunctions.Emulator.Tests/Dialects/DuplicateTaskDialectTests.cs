using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Dialects;

/// <summary><c>Emulator:DuplicateTask</c>: what a task whose taskUUID the emulator already knows gets.</summary>
public sealed class DuplicateTaskDialectTests
{
    private static readonly string Photo = TestImages.DataUri(TestImages.Gradient(128, 128));

    [Fact]
    public async Task Reject_RepeatedInference_IsDuplicateTaskUuidAndCountedAsRejected()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128).Async();
        (await emulator.PostAsync(task)).AssertOk();

        (await emulator.PostAsync(task)).AssertRejected("duplicateTaskUUID", "taskUUID");

        var stats = await emulator.StatsAsync();
        Assert.Equal(1, TestEmulator.Stat(stats, "duplicatesRejected"));
        Assert.Equal(0, TestEmulator.Stat(stats, "duplicatesAccepted"));
        Assert.Equal(1, TestEmulator.Stat(stats, "duplicateSubmissions"));
        Assert.Equal(1, TestEmulator.Stat(stats, "inferencesCharged"));
    }

    [Fact]
    public async Task RejectOtherCode_RepeatedInference_IsConflictTaskUuidSayingItExists()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.DuplicateTask = "rejectOtherCode");
        var task = Inference(Dev, 128).Async();
        (await emulator.PostAsync(task)).AssertOk();

        var error = (await emulator.PostAsync(task)).AssertRejected("conflictTaskUUID", "taskUUID");

        Assert.Contains("already exists", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
        Assert.Equal("imageInference", (string?)error["taskType"]);
        var stats = await emulator.StatsAsync();
        Assert.Equal(1, TestEmulator.Stat(stats, "duplicatesRejected"));
        Assert.Equal(1, TestEmulator.Stat(stats, "inferencesCharged"));
    }

    [Fact]
    public async Task RejectOtherCode_RepeatedUpload_IsRejectedToo()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.DuplicateTask = "rejectOtherCode");
        var upload = Upload(Photo);
        (await emulator.PostAsync(upload)).AssertOk();

        (await emulator.PostAsync(upload)).AssertRejected("conflictTaskUUID", "taskUUID");

        Assert.Equal(1, await emulator.StatAsync("uploads"));
    }

    [Fact]
    public async Task Accept_RepeatedAsyncInference_RunsAgainAndGetResponseReportsTheNewOne()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.DuplicateTask = "accept");
        var first = Inference(Dev, 128).Async();
        first["positivePrompt"] = "the first one is slow emulator:slow=20000";
        first["seed"] = 5;
        var second = (JsonObject)first.DeepClone();
        second["positivePrompt"] = "the second one is quick";
        second["seed"] = 6;
        (await emulator.PostAsync(first)).AssertOk();

        var again = await emulator.PostAsync(second);
        var done = await emulator.PollUntilDoneAsync(first.Uuid(), TimeSpan.FromSeconds(10));

        again.AssertOk();
        Assert.Equal("processing", (string?)again.SingleData()["status"]);
        var result = done.SingleData();
        Assert.Equal("success", (string?)result["status"]);
        Assert.Equal(6L, (long)result["seed"]!);
        var stats = await emulator.StatsAsync();
        Assert.Equal(2, TestEmulator.Stat(stats, "inferencesCharged"));
        Assert.Equal(1, TestEmulator.Stat(stats, "duplicatesAccepted"));
        Assert.Equal(0, TestEmulator.Stat(stats, "duplicatesRejected"));
        Assert.Equal(1, TestEmulator.Stat(stats, "duplicateSubmissions"));
    }

    [Fact]
    public async Task Accept_RepeatedSyncInference_AnswersANewResult()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.DuplicateTask = "accept");
        var task = Inference(Dev, 128);

        var first = await emulator.PostAsync(task);
        var second = await emulator.PostAsync(task);
        var poll = await emulator.PostAsync(GetResponse(task.Uuid()));

        first.AssertOk();
        second.AssertOk();
        var newImage = (string?)second.SingleData()["imageUUID"];
        Assert.NotEqual((string?)first.SingleData()["imageUUID"], newImage);
        Assert.Equal(newImage, (string?)poll.SingleData()["imageUUID"]);
        Assert.Equal(2, await emulator.StatAsync("inferencesCharged"));
    }

    [Fact]
    public async Task Accept_RepeatedUpload_IsStoredAgainAndTaskDetailsReportTheNewOne()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.DuplicateTask = "accept");
        var upload = Upload(Photo);

        var first = await emulator.PostAsync(upload);
        var second = await emulator.PostAsync(upload);
        var details = await emulator.PostAsync(TaskDetails(upload.Uuid()));

        first.AssertOk();
        second.AssertOk();
        var newImage = (string?)second.SingleData()["imageUUID"];
        Assert.NotEqual((string?)first.SingleData()["imageUUID"], newImage);
        Assert.Equal(newImage, (string?)details.SingleData()["response"]!["data"]![0]!["imageUUID"]);
        Assert.Equal(2, await emulator.StatAsync("uploads"));
    }
}
