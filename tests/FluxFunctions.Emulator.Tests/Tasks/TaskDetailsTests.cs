using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Tasks;

/// <summary><c>getTaskDetails</c>: the original request and response of a task, by its taskUUID.</summary>
public sealed class TaskDetailsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly byte[] Photo = TestImages.Gradient(128, 128);

    private TestEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task TaskDetails_FinishedAsyncInference_ReportsTheRequestAndTheResultEntries()
    {
        var seed = Convert.ToBase64String(Photo);
        var task = GuideTask(Canny, seed, 128).Async();
        task["webhookURL"] = "http://127.0.0.1:9/hook?token=secret-token";
        (await Emulator.PostAsync(task)).AssertOk();
        var done = await Emulator.PollUntilDoneAsync(task.Uuid());

        var answer = await Emulator.PostAsync(TaskDetails(task.Uuid()));

        answer.AssertOk();
        var details = answer.SingleData();
        Assert.Equal("getTaskDetails", (string?)details["taskType"]);
        Assert.Equal(task.Uuid(), (string?)details["taskUUID"]);
        var request = Assert.IsType<JsonObject>(Assert.Single(Assert.IsType<JsonArray>(details["request"])));
        Assert.Equal(task.Uuid(), (string?)request["taskUUID"]);
        Assert.Equal(Canny, (string?)request["model"]);
        Assert.Equal("async", (string?)request["deliveryMethod"]);
        Assert.Equal(128, (int)request["width"]!);
        Assert.Equal($"<elided: {seed.Length} chars>", (string?)request["seedImage"]);
        Assert.Equal("http://127.0.0.1:9/hook?<redacted>", (string?)request["webhookURL"]);
        Assert.DoesNotContain("secret-token", details.ToJsonString(), StringComparison.Ordinal);
        var response = Assert.IsType<JsonObject>(details["response"]);
        Assert.False(response.ContainsKey("errors"));
        var entry = Assert.Single(Assert.IsType<JsonArray>(response["data"]))!;
        Assert.Equal("success", (string?)entry["status"]);
        Assert.Equal((string?)done.SingleData()["imageUUID"], (string?)entry["imageUUID"]);
    }

    [Fact]
    public async Task TaskDetails_RunningAsyncInference_ReportsTheAcknowledgement()
    {
        var task = Inference(Dev, 128).Async();
        task["positivePrompt"] = "a long one emulator:slow=20000";
        task["numberResults"] = 2;
        var ack = await Emulator.PostAsync(task);

        var answer = await Emulator.PostAsync(TaskDetails(task.Uuid()));

        answer.AssertOk();
        var response = answer.SingleData()["response"]!.AsObject();
        Assert.Equal(new JsonObject { ["data"] = ack.Data.DeepClone() }.ToJsonString(), response.ToJsonString());
    }

    [Fact]
    public async Task TaskDetails_FailedAsyncInference_ReportsTheErrors()
    {
        var task = Inference(Dev, 128).Async();
        task["positivePrompt"] = "emulator:fail";
        (await Emulator.PostAsync(task)).AssertOk();
        await Emulator.PollUntilDoneAsync(task.Uuid());

        var answer = await Emulator.PostAsync(TaskDetails(task.Uuid()));

        answer.AssertOk();
        var response = answer.SingleData()["response"]!.AsObject();
        Assert.False(response.ContainsKey("data"));
        var error = Assert.Single(response["errors"]!.AsArray())!;
        Assert.Equal("inferenceFailed", (string?)error["code"]);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
    }

    [Fact]
    public async Task TaskDetails_SyncInference_ReportsTheEntryItAnswered()
    {
        var task = Inference(Dev, 128);
        var first = await Emulator.PostAsync(task);

        var answer = await Emulator.PostAsync(TaskDetails(task.Uuid()));

        answer.AssertOk();
        var response = answer.SingleData()["response"]!.AsObject();
        Assert.Equal(new JsonObject { ["data"] = first.Data.DeepClone() }.ToJsonString(), response.ToJsonString());
    }

    [Fact]
    public async Task TaskDetails_Upload_ReportsTheAnsweredImage()
    {
        var upload = Upload(TestImages.DataUri(Photo));
        var first = await Emulator.PostAsync(upload);

        var answer = await Emulator.PostAsync(TaskDetails(upload.Uuid()));

        answer.AssertOk();
        var details = answer.SingleData();
        Assert.Equal("imageUpload", (string?)details["request"]![0]!["taskType"]);
        Assert.StartsWith("<elided: ", (string?)details["request"]![0]!["image"], StringComparison.Ordinal);
        Assert.Equal(new JsonObject { ["data"] = first.Data.DeepClone() }.ToJsonString(), details["response"]!.ToJsonString());
    }

    [Fact]
    public async Task TaskDetails_Preprocess_ReportsTheGuide()
    {
        var task = Preprocess(TestImages.DataUri(TestImages.Square(128, SKColors.Black, SKColors.White)), "canny");
        var first = await Emulator.PostAsync(task);

        var answer = await Emulator.PostAsync(TaskDetails(task.Uuid()));

        answer.AssertOk();
        Assert.Equal((string?)first.SingleData()["guideImageUUID"], (string?)answer.SingleData()["response"]!["data"]![0]!["guideImageUUID"]);
    }

    [Fact]
    public async Task TaskDetails_IsNeitherRegisteredNorCharged()
    {
        var uuid = NewUuid();
        var before = await Emulator.StatsAsync();

        await Emulator.PostAsync(TaskDetails(uuid));
        var upload = Upload(TestImages.DataUri(Photo));
        upload["taskUUID"] = uuid;
        var sameUuid = await Emulator.PostAsync(upload);

        sameUuid.AssertOk();
        var after = await Emulator.StatsAsync();
        Assert.Equal(TestEmulator.Stat(before, "inferencesCharged"), TestEmulator.Stat(after, "inferencesCharged"));
        Assert.Equal(TestEmulator.Stat(before, "taskDetailsRequests") + 1, TestEmulator.Stat(after, "taskDetailsRequests"));
    }

    [Fact]
    public async Task TaskDetails_UnknownField_IsRejected()
    {
        var ask = TaskDetails(NewUuid());
        ask["includeCost"] = true;

        (await Emulator.PostAsync(ask)).AssertRejected("unsupportedParameter", "includeCost");
    }

    [Fact]
    public async Task TaskDetails_RejectedTask_IsUnknown()
    {
        var bad = Inference(Dev, 128);
        bad["width"] = 100;
        (await Emulator.PostAsync(bad)).AssertRejected("invalidWidth", "width");

        (await Emulator.PostAsync(TaskDetails(bad.Uuid()))).AssertRejected("taskNotFound", "taskUUID");
    }
}
