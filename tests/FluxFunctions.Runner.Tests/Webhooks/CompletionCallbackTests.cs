using System.Text.Json.Nodes;
using FluxFunctions.Core.Storage;
using FluxFunctions.Runner.Tests.Api;
using FluxFunctions.Runner.Tests.Pipeline;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Webhooks;
using Microsoft.DurableTask.Client;
using static FluxFunctions.Runner.Tests.Webhooks.WebhookJobs;

namespace FluxFunctions.Runner.Tests.Webhooks;

/// <summary>
/// Signed completion callbacks end to end: the runner, the durable engine on Azurite, the emulator, and a real receiver
/// on loopback that verifies each callback as a user's server would.
/// </summary>
public sealed class CompletionCallbackTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Callback_EachEndedJob_GetsExactlyOneSignedCallbackWithItsStatus()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__WebhookSecret"] = Secret });
        using var client = p.ApiClient();

        var completed = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","numberResults":2,"callbackUrl":"{{receiver.Url("hooks/api?token=receivers-own-token")}}"}""");
        var failed = await SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:fail","image":"{{Photo}}","callbackUrl":"{{receiver.Url("hooks/api")}}"}""");
        await p.DropAsync("redux/cb/cat.json", $$"""{"callbackUrl":"{{receiver.Url("hooks/blob")}}"}""");
        var etag = await p.DropAsync("redux/cb/cat.png", SampleJobs.Photo(320, 240, 5));
        var dropped = JobIds.ForBlob(p.InputContainer, "redux/cb/cat.png", etag);

        // Blob options pass the same callback checks as HTTP requests: credentials in the URL fail the job, unsent.
        await p.DropAsync("redux/cb/bad.json", """{"callbackUrl":"https://user:password@hooks.example.com/flux"}""");
        var badEtag = await p.DropAsync("redux/cb/bad.png", SampleJobs.Photo(320, 240, 6));
        var bad = await WaitForEndAsync(client, JobIds.ForBlob(p.InputContainer, "redux/cb/bad.png", badEtag));
        Assert.Equal("failed", (string?)bad["status"]);
        Assert.Equal("unsafeUrl", (string?)bad["error"]!["code"]);
        Assert.Equal("callbackUrl", (string?)bad["error"]!["parameter"]);
        Assert.Null(bad["callback"]);

        var statuses = new Dictionary<string, JsonObject>();
        foreach (var id in new[] { completed, failed, dropped })
        {
            statuses[id] = await WaitForCallbackAsync(client, id);
        }

        // Exactly one callback per job, each signed, each naming its job and outcome.
        var posts = receiver.Posts;
        Assert.Equal(3, posts.Count);
        Assert.All(posts, post => Assert.True(CallbackVerifier.IsValid(Secret, post), $"bad signature on {post.PathAndQuery}"));
        Assert.All(posts, post => Assert.Equal("1", post.Header("x-flux-attempt")));
        foreach (var (id, status) in statuses)
        {
            var post = Assert.Single(posts, p => (string?)JsonNode.Parse(p.Body)!["id"] == id);
            var outcome = (string)status["status"]!;
            Assert.Equal($"{id}.{outcome}", post.Header("x-flux-delivery"));

            // The body is the job as GET shows it plus its event (GET adds the delivery outcome and a later updatedAt).
            var body = JsonNode.Parse(post.Body)!.AsObject();
            Assert.Null(body["callback"]);
            Assert.Equal(outcome, (string?)body["event"]);
            Assert.True(JsonNode.DeepEquals(Without(status, "callback", "updatedAt"), Without(body, "event", "updatedAt")), $"callback body {post.Body} differs from GET {status.ToJsonString()}");

            var callback = status["callback"]!;
            Assert.Equal("delivered", (string?)callback["status"]);
            Assert.Equal(1, (int?)callback["attempts"]);
            Assert.Equal(200, (int?)callback["lastStatusCode"]);
            Assert.NotNull(callback["deliveredAt"]);
        }

        Assert.Equal("completed", (string?)statuses[completed]["status"]);
        Assert.Equal(2, statuses[completed]["outputs"]!.AsArray().Count);
        Assert.Equal("failed", (string?)statuses[failed]["status"]);
        Assert.Equal("inferenceFailed", (string?)statuses[failed]["error"]!["code"]);
        Assert.Equal("completed", (string?)statuses[dropped]["status"]);
        Assert.Equal("/hooks/blob", Assert.Single(posts, p => p.Body.Contains(dropped, StringComparison.Ordinal)).PathAndQuery);

        // The receiver's own token (the callback URL's query) is neither shown nor written to the manifest.
        Assert.Equal(receiver.Url("hooks/api").ToString(), (string?)statuses[completed]["callback"]!["url"]);
        var manifest = Assert.Single(await p.ManifestsAsync(), m => m.Name.Contains(completed, StringComparison.Ordinal));
        Assert.DoesNotContain("receivers-own-token", manifest.Json.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(await p.FailuresAsync(), f => f.Name.Contains(failed, StringComparison.Ordinal));
        Assert.Equal(3, receiver.Posts.Count);
    }

    [Fact]
    public async Task Callback_ReceiverFailsWith500_IsRetriedWithTheSameBody_And404IsNotRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync((post, _) =>
            Task.FromResult(post.PathAndQuery.StartsWith("/gone", StringComparison.Ordinal) ? 404 : post.Header("x-flux-attempt") == "1" ? 500 : 200));
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__WebhookSecret"] = Secret, ["Flux__CallbackRetryDelayMs"] = "200" });
        using var client = p.ApiClient();

        var flaky = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","callbackUrl":"{{receiver.Url("flaky")}}"}""");
        var gone = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","callbackUrl":"{{receiver.Url("gone")}}"}""");
        var flakyStatus = await WaitForCallbackAsync(client, flaky);
        var goneStatus = await WaitForCallbackAsync(client, gone);

        var retried = receiver.Posts.Where(p => p.PathAndQuery == "/flaky").ToList();
        Assert.Equal([500, 200], retried.Select(r => r.Answer).ToArray());
        Assert.Equal("1,2", string.Join(",", retried.Select(r => r.Header("x-flux-attempt"))));
        Assert.Equal(retried[0].Body, retried[1].Body);
        Assert.Equal(retried[0].Header("x-flux-delivery"), retried[1].Header("x-flux-delivery"));
        Assert.All(retried, r => Assert.True(CallbackVerifier.IsValid(Secret, r)));
        Assert.Equal("delivered", (string?)flakyStatus["callback"]!["status"]);
        Assert.Equal(2, (int?)flakyStatus["callback"]!["attempts"]);
        Assert.Equal("completed", (string?)flakyStatus["status"]);

        Assert.Single(receiver.Posts, p => p.PathAndQuery == "/gone");
        Assert.Equal("failed", (string?)goneStatus["callback"]!["status"]);
        Assert.Equal(1, (int?)goneStatus["callback"]!["attempts"]);
        Assert.Equal(404, (int?)goneStatus["callback"]!["lastStatusCode"]);
        Assert.Equal("completed", (string?)goneStatus["status"]);
    }

    [Fact]
    public async Task Callback_JobCanceledByDelete_GetsOneCanceledCallbackAndWritesNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__WebhookSecret"] = Secret });
        using var client = p.ApiClient();
        var id = await SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:slow=600000","image":"{{Photo}}","callbackUrl":"{{receiver.Url("hooks/cancel")}}"}""");
        await WaitForStageAsync(client, id, "inferring");

        var canceled = await RunnerHttp.SendAsync(client, "DELETE", $"/api/edits/{id}");

        Assert.Equal(200, canceled.Status);
        Assert.Equal("canceled", RunnerHttp.Json(canceled).GetProperty("status").GetString());
        var status = await WaitForCallbackAsync(client, id);
        var post = Assert.Single(receiver.Posts);
        Assert.True(CallbackVerifier.IsValid(Secret, post));
        Assert.Equal($"{id}.canceled", post.Header("x-flux-delivery"));
        var body = JsonNode.Parse(post.Body)!;
        Assert.Equal("canceled", (string?)body["status"]);
        Assert.Equal("canceled", (string?)body["error"]!["code"]);
        Assert.Equal("inferring", (string?)body["stage"]);
        Assert.Equal("delivered", (string?)status["callback"]!["status"]);

        // The orchestration ended itself on the cancel event (not terminated), and wrote no manifest or failure record.
        var instance = await p.DurableClient.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance?.RuntimeStatus);
        Assert.DoesNotContain(await p.ManifestsAsync(), m => m.Name.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain(await p.FailuresAsync(), f => f.Name.Contains(id, StringComparison.Ordinal));
    }
}
