using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Storage;
using FluxFunctions.Runner.Tests.Api;
using FluxFunctions.Runner.Tests.Pipeline;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Webhooks;
using static FluxFunctions.Runner.Tests.Webhooks.WebhookJobs;

namespace FluxFunctions.Runner.Tests.Webhooks;

/// <summary>
/// Progress callbacks (<c>callbackEvents</c>) end to end: the runner, the durable engine on Azurite, the emulator, and a
/// real receiver on loopback that verifies each signed POST and notes the order in which the events arrive.
/// </summary>
public sealed class ProgressCallbackTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Progress_JobsAskingForEvents_GetEachListedEventOnceSignedInOrder_OthersTheTerminalOnly()
    {
        // Every job's first 'started' attempt is refused with 503: its retry must still come before the later events.
        var arrivals = new ConcurrentQueue<(string Path, string Event, string Attempt, int Answer)>();
        await using var receiver = await WebhookReceiver.StartAsync((post, _) =>
        {
            var callbackEvent = (string?)JsonNode.Parse(post.Body)?["event"] ?? "(none)";
            var answer = callbackEvent == "started" && post.Header("x-flux-attempt") == "1" ? 503 : 200;
            arrivals.Enqueue((post.PathAndQuery, callbackEvent, post.Header("x-flux-attempt") ?? "", answer));
            return Task.FromResult(answer);
        });
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__WebhookSecret"] = Secret, ["Flux__CallbackRetryDelayMs"] = "300" });
        using var client = p.ApiClient();

        var all = await SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:slow=1500","image":"{{Photo}}","callbackUrl":"{{receiver.Url("all?token=t")}}","callbackEvents":["completed","failed","canceled","inferring","started"]}""");
        var plain = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","callbackUrl":"{{receiver.Url("plain")}}"}""");
        var progressOnly = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","callbackUrl":"{{receiver.Url("progress-only")}}","callbackEvents":["inferring"]}""");
        var failing = await SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:fail","image":"{{Photo}}","callbackUrl":"{{receiver.Url("failing")}}","callbackEvents":["started","failed"]}""");
        await p.DropAsync("redux/progress/cat.json", $$"""{"callbackUrl":"{{receiver.Url("blob")}}","callbackEvents":["started","inferring","completed"]}""");
        var etag = await p.DropAsync("redux/progress/cat.png", SampleJobs.Photo(320, 240, 5));
        var dropped = JobIds.ForBlob(p.InputContainer, "redux/progress/cat.png", etag);

        var allStatus = await WaitForCallbackAsync(client, all);
        var plainStatus = await WaitForCallbackAsync(client, plain);
        var failingStatus = await WaitForCallbackAsync(client, failing);
        var droppedStatus = await WaitForCallbackAsync(client, dropped);
        var progressOnlyStatus = await WaitUntilAsync(client, progressOnly, s => s["progressCallbacks"] is not null, "the end with its progress callbacks");

        var posts = receiver.Posts;
        Assert.All(posts, post => Assert.True(CallbackVerifier.IsValid(Secret, post), $"bad signature on {post.PathAndQuery}"));
        string[] Arrived(string path) => [.. arrivals.Where(a => a.Path == path).Select(a => $"{a.Event}#{a.Attempt}:{a.Answer}")];

        // Each listed event once (a refused attempt retried under the same delivery id), in stage order, the terminal last.
        Assert.Equal(["started#1:503", "started#2:200", "inferring#1:200", "completed#1:200"], Arrived("/all?token=t"));
        Assert.Equal(["started#1:503", "started#2:200", "inferring#1:200", "completed#1:200"], Arrived("/blob"));
        Assert.Equal(["started#1:503", "started#2:200", "failed#1:200"], Arrived("/failing"));
        Assert.Equal(["inferring#1:200"], Arrived("/progress-only"));
        Assert.Equal(["completed#1:200"], Arrived("/plain"));

        foreach (var (id, path) in new[] { (all, "/all?token=t"), (dropped, "/blob"), (failing, "/failing"), (progressOnly, "/progress-only"), (plain, "/plain") })
        {
            foreach (var post in posts.Where(x => x.PathAndQuery == path))
            {
                var body = JsonNode.Parse(post.Body)!;
                var callbackEvent = (string)body["event"]!;
                Assert.Equal(id, (string?)body["id"]);
                Assert.Equal($"{id}.{callbackEvent}", post.Header("x-flux-delivery"));
                Assert.Null(body["callback"]);
                Assert.Null(body["progressCallbacks"]);
                if (callbackEvent is "started" or "inferring")
                {
                    Assert.Equal("running", (string?)body["status"]);
                    Assert.Equal(callbackEvent == "started" ? "preparing" : "inferring", (string?)body["stage"]);
                    Assert.Empty(body["outputs"]!.AsArray());
                }
                else
                {
                    Assert.Equal(callbackEvent, (string?)body["status"]);
                }
            }
        }

        // The terminal body is the job as GET shows it, plus its event (GET adds the deliveries and a later updatedAt).
        var terminal = JsonNode.Parse(Assert.Single(posts, x => x.PathAndQuery == "/all?token=t" && x.Body.Contains("\"event\":\"completed\"", StringComparison.Ordinal)).Body)!.AsObject();
        Assert.True(JsonNode.DeepEquals(Without(allStatus, "callback", "progressCallbacks", "updatedAt"), Without(terminal, "event", "updatedAt")), $"callback body {terminal.ToJsonString()} differs from GET {allStatus.ToJsonString()}");

        // The job shows each progress delivery, the receiver's token left out.
        var progress = allStatus["progressCallbacks"]!.AsArray();
        Assert.Equal(["started", "inferring"], progress.Select(d => (string?)d!["event"]));
        Assert.All(progress, d => Assert.Equal("delivered", (string?)d!["status"]));
        Assert.Equal([2, 1], progress.Select(d => (int?)d!["attempts"]));
        Assert.Equal(receiver.Url("all").ToString(), (string?)progress[0]!["url"]);
        Assert.Equal("delivered", (string?)allStatus["callback"]!["status"]);
        Assert.Null(plainStatus["progressCallbacks"]);
        Assert.Equal("completed", (string?)droppedStatus["status"]);
        Assert.Equal("failed", (string?)failingStatus["status"]);
        Assert.Null(progressOnlyStatus["callback"]);
        Assert.Equal("completed", (string?)progressOnlyStatus["status"]);
        Assert.Equal("inferring", (string?)Assert.Single(progressOnlyStatus["progressCallbacks"]!.AsArray())!["event"]);
    }

    [Fact]
    public async Task Progress_ReceiverKeepsFailingAProgressEvent_ItIsDroppedAfterThreeAttemptsAndTheJobGoesOn()
    {
        var arrivals = new ConcurrentQueue<string>();
        await using var receiver = await WebhookReceiver.StartAsync((post, _) =>
        {
            var callbackEvent = (string?)JsonNode.Parse(post.Body)?["event"];
            var answer = callbackEvent == "started" ? 503 : 200;
            arrivals.Enqueue($"{callbackEvent}#{post.Header("x-flux-attempt")}:{answer}");
            return Task.FromResult(answer);
        });
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__WebhookSecret"] = Secret, ["Flux__CallbackRetryDelayMs"] = "200" });
        using var client = p.ApiClient();

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","callbackUrl":"{{receiver.Url("hooks")}}","callbackEvents":["started","completed"]}""");
        var status = await WaitForCallbackAsync(client, id);

        Assert.Equal(["started#1:503", "started#2:503", "started#3:503", "completed#1:200"], arrivals.ToArray());
        Assert.Equal("completed", (string?)status["status"]);
        Assert.Equal("delivered", (string?)status["callback"]!["status"]);
        var dropped = Assert.Single(status["progressCallbacks"]!.AsArray())!;
        Assert.Equal("started", (string?)dropped["event"]);
        Assert.Equal("dropped", (string?)dropped["status"]);
        Assert.Equal(3, (int?)dropped["attempts"]);
        Assert.Equal(503, (int?)dropped["lastStatusCode"]);
    }

    [Fact]
    public async Task Progress_JobCanceledByDelete_GetsItsProgressEventsThenCanceled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__WebhookSecret"] = Secret });
        using var client = p.ApiClient();
        var id = await SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:slow=600000","image":"{{Photo}}","callbackUrl":"{{receiver.Url("hooks/cancel")}}","callbackEvents":["started","inferring","canceled"]}""");
        await receiver.WaitForAsync(posts => posts.Count == 2, WebhookJobs.Timeout, "the started and inferring events");

        var canceled = await RunnerHttp.SendAsync(client, "DELETE", $"/api/edits/{id}");

        Assert.Equal(200, canceled.Status);
        var status = await WaitForCallbackAsync(client, id);
        var posts = receiver.Posts;
        Assert.Equal(["started", "inferring", "canceled"], posts.Select(x => (string?)JsonNode.Parse(x.Body)!["event"]));
        Assert.Equal([$"{id}.started", $"{id}.inferring", $"{id}.canceled"], posts.Select(x => x.Header("x-flux-delivery")));
        Assert.All(posts, post => Assert.True(CallbackVerifier.IsValid(Secret, post)));
        var last = JsonNode.Parse(posts[^1].Body)!;
        Assert.Equal("canceled", (string?)last["status"]);
        Assert.Equal("inferring", (string?)last["stage"]);
        Assert.Equal("canceled", (string?)status["status"]);
        Assert.Equal(2, status["progressCallbacks"]!.AsArray().Count);
    }

}
