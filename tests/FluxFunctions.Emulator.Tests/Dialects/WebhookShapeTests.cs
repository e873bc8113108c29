using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Dialects;

/// <summary><c>Emulator:WebhookShape</c> perTask: one POST per finished task, its response envelope.</summary>
public sealed class WebhookShapeTests
{
    [Fact]
    public async Task PerTask_InferenceWithTwoResults_PostsOnceWithBothEntries()
    {
        await using var listener = new LoopbackServer((_, _) => (200, [], "text/plain"));
        await using var emulator = await TestEmulator.StartAsync(o => o.WebhookShape = "perTask");
        var task = Inference(Dev, 128).Async();
        task["numberResults"] = 2;
        task["webhookURL"] = listener.BaseUrl + "hook";

        (await emulator.PostAsync(task)).AssertOk();
        await TestEmulator.EventuallyAsync(async () => await emulator.StatAsync("webhooksDelivered") == 1, "the task's webhook");
        await Task.Delay(300);

        var body = JsonNode.Parse(Assert.Single(listener.Received).Body)!.AsObject();
        Assert.False(body.ContainsKey("errors"));
        var entries = Assert.IsType<JsonArray>(body["data"]);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(task.Uuid(), (string?)e!["taskUUID"]));
        Assert.All(entries, e => Assert.Equal("success", (string?)e!["status"]));
        Assert.Equal(2, entries.Select(e => (string?)e!["imageUUID"]).Distinct().Count());
    }

    [Fact]
    public async Task PerTask_FailedInference_PostsTheErrorsEnvelope()
    {
        await using var listener = new LoopbackServer((_, _) => (200, [], "text/plain"));
        await using var emulator = await TestEmulator.StartAsync(o => o.WebhookShape = "perTask");
        var task = Inference(Dev, 128).Async();
        task["positivePrompt"] = "emulator:fail";
        task["webhookURL"] = listener.BaseUrl + "hook";

        (await emulator.PostAsync(task)).AssertOk();
        await TestEmulator.EventuallyAsync(() => Task.FromResult(!listener.Received.IsEmpty), "the error webhook");

        var body = JsonNode.Parse(Assert.Single(listener.Received).Body)!.AsObject();
        Assert.False(body.ContainsKey("data"));
        var error = Assert.IsType<JsonObject>(Assert.Single(Assert.IsType<JsonArray>(body["errors"])));
        Assert.Equal("inferenceFailed", (string?)error["code"]);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
    }

    [Fact]
    public async Task PerTask_Upload_PostsTheDataEnvelope()
    {
        await using var listener = new LoopbackServer((_, _) => (200, [], "text/plain"));
        await using var emulator = await TestEmulator.StartAsync(o => o.WebhookShape = "perTask");
        var upload = Upload(TestImages.DataUri(TestImages.Gradient(128, 128)));
        upload["webhookURL"] = listener.BaseUrl + "hook";

        var answer = await emulator.PostAsync(upload);
        await TestEmulator.EventuallyAsync(() => Task.FromResult(!listener.Received.IsEmpty), "the upload webhook");

        var body = JsonNode.Parse(listener.Received.Single().Body)!.AsObject();
        var entry = Assert.Single(Assert.IsType<JsonArray>(body["data"]))!;
        Assert.Equal((string?)answer.SingleData()["imageUUID"], (string?)entry["imageUUID"]);
    }
}
