using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Webhooks;

/// <summary><c>webhookURL</c>: the emulator posts each result (or the error) to a listener started by the test.</summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task AsyncInference_WithWebhookUrl_PostsOneResultPerImage()
    {
        await using var listener = new LoopbackServer((_, _) => (200, [], "text/plain"));
        await using var emulator = await TestEmulator.StartAsync(o => o.LatencyMs = 50);
        var task = Inference(Dev, 128).Async();
        task["numberResults"] = 2;
        task["webhookURL"] = listener.BaseUrl + "hooks/runware?token=abc";

        (await emulator.PostAsync(task)).AssertOk();
        await TestEmulator.EventuallyAsync(() => Task.FromResult(listener.Received.Count >= 2), "two webhook posts");

        var posts = listener.Received.Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();
        Assert.All(listener.Received, r => Assert.Equal("/hooks/runware?token=abc", r.PathAndQuery));
        Assert.All(posts, p => Assert.Equal(task.Uuid(), (string?)p["taskUUID"]));
        Assert.All(posts, p => Assert.Equal("success", (string?)p["status"]));
        Assert.Equal(2, posts.Select(p => (string?)p["imageUUID"]).Distinct().Count());
        await emulator.GetImageAsync((string)posts[0]["imageURL"]!);
    }

    [Fact]
    public async Task Webhook_ListenerFailingTwice_IsRetriedUntilDelivered()
    {
        var calls = 0;
        await using var listener = new LoopbackServer((_, _) => Interlocked.Increment(ref calls) <= 2 ? (500, [], "text/plain") : (200, [], "text/plain"));
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128);
        task["webhookURL"] = listener.BaseUrl + "hook";

        (await emulator.PostAsync(task)).AssertOk();
        await TestEmulator.EventuallyAsync(async () => TestEmulator.Stat(await emulator.StatsAsync(), "webhooksDelivered") == 1, "the webhook to be delivered");

        Assert.Equal(3, listener.Received.Count);
        var body = JsonNode.Parse(listener.Received.Last().Body)!.AsObject();
        Assert.Equal(task.Uuid(), (string?)body["taskUUID"]);
        Assert.Null(body["status"]); // a sync task reports its data entry as is
    }

    [Fact]
    public async Task Webhook_FailedInference_PostsTheErrorObject()
    {
        await using var listener = new LoopbackServer((_, _) => (200, [], "text/plain"));
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128).Async();
        task["positivePrompt"] = "emulator:fail";
        task["webhookURL"] = listener.BaseUrl + "hook";

        (await emulator.PostAsync(task)).AssertOk();
        await TestEmulator.EventuallyAsync(() => Task.FromResult(!listener.Received.IsEmpty), "the error webhook");

        var body = JsonNode.Parse(listener.Received.Single().Body)!.AsObject();
        Assert.Equal("inferenceFailed", (string?)body["code"]);
        Assert.Equal("error", (string?)body["status"]);
        Assert.Equal(task.Uuid(), (string?)body["taskUUID"]);
    }

    [Fact]
    public async Task Upload_WithWebhookUrl_PostsTheUploadEntry()
    {
        await using var listener = new LoopbackServer((_, _) => (200, [], "text/plain"));
        await using var emulator = await TestEmulator.StartAsync();
        var upload = Upload(TestImages.DataUri(TestImages.Gradient(128, 128)));
        upload["webhookURL"] = listener.BaseUrl + "hook";

        var answer = await emulator.PostAsync(upload);
        await TestEmulator.EventuallyAsync(() => Task.FromResult(!listener.Received.IsEmpty), "the upload webhook");

        var body = JsonNode.Parse(listener.Received.Single().Body)!.AsObject();
        Assert.Equal((string?)answer.SingleData()["imageUUID"], (string?)body["imageUUID"]);
    }
}
