using System.Text.Json.Nodes;
using FluxFunctions.Testing.Api;
using FluxFunctions.Testing.Webhooks;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>
/// The webhook cases called on the Functions trigger methods directly: Runware's genuine posts (captured from the
/// emulator) relayed to the anonymous <c>RunwareWebhook</c> trigger complete a job; forged and replayed posts get 401
/// and change nothing; the job's completion callback arrives once, signed; a canceled job gets its callback too. In the
/// trigger collection so its runner and Azurite start after, not alongside, the shared trigger fixture's.
/// </summary>
[Collection(TriggerCollection.Name)]
public sealed class RunwareWebhookTriggerTests(WebhookTriggerFixture fixture) : IClassFixture<WebhookTriggerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly string Photo = ApiImages.DataUri(ApiImages.Png(256, 256));

    [Fact]
    public async Task RunwareWebhook_GenuinePostRelayed_CompletesTheJob_ForgedAndReplayedAre401()
    {
        var triggers = new TriggerInvoker(fixture.Runner);
        var id = await SubmitAsync(triggers, $$"""{"tool":"redux","image":"{{Photo}}","callbackUrl":"{{fixture.Callbacks.Url("hooks/relay")}}"}""");
        var posted = (await fixture.RunwarePosts.WaitForAsync(ps => ps.Any(p => p.PathAndQuery.Contains(id, StringComparison.Ordinal)), Timeout, "the emulator's webhook post"))
            .Single(p => p.PathAndQuery.Contains(id, StringComparison.Ordinal));
        Assert.StartsWith($"/api/runware/webhook/{id}?token=", posted.PathAndQuery, StringComparison.Ordinal);
        var token = posted.PathAndQuery[(posted.PathAndQuery.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var taskUuid = (string)JsonNode.Parse(posted.Body)!["taskUUID"]!;
        var error = $$"""{"code":"inferenceFailed","message":"forged","taskType":"imageInference","taskUUID":"{{taskUuid}}","status":"error"}""";

        // The job waits for Runware (no poll comes for minutes): forged posts do not move it.
        Assert.Equal(401, (await triggers.SendAsync("POST", $"/api/runware/webhook/{id}?token={Flip(token)}", ApiCase.Json(error))).Status);
        Assert.Equal(401, (await triggers.SendAsync("POST", $"/api/runware/webhook/{id}", ApiCase.Json(error))).Status);
        Assert.Equal(401, (await triggers.SendAsync("POST", $"/api/runware/webhook/{id}?token={token}", ApiCase.Json(error.Replace(taskUuid, Guid.NewGuid().ToString(), StringComparison.Ordinal)))).Status);
        Assert.Equal(400, (await triggers.SendAsync("POST", $"/api/runware/webhook/{id}?token={token}", ApiCase.Json("[]"))).Status);
        Assert.Equal("running", (string?)(await GetAsync(triggers, id))["status"]);

        var relayed = await triggers.SendAsync("POST", posted.PathAndQuery, ApiCase.Json(posted.Body));

        Assert.Equal(200, relayed.Status);
        var status = await WaitAsync(triggers, id, s => (string?)s["callback"]?["status"] is "delivered" or "failed");
        Assert.Equal("completed", (string?)status["status"]);
        Assert.Single(status["outputs"]!.AsArray());
        Assert.Equal("delivered", (string?)status["callback"]!["status"]);
        var callback = Assert.Single(fixture.Callbacks.Posts, p => p.Body.Contains(id, StringComparison.Ordinal));
        Assert.True(CallbackVerifier.IsValid(WebhookTriggerFixture.Secret, callback));
        Assert.Equal($"{id}.completed", callback.Header("x-flux-delivery"));

        // After the submit, the job never polled getResponse (the one before it checks the taskUUID is new).
        var tasks = (await fixture.Runner.RunwareTasksAsync()).ToList();
        var submitAt = tasks.FindIndex(t => (string?)t["taskType"] == "imageInference" && (string?)t["taskUUID"] == taskUuid);
        Assert.True(submitAt >= 0);
        Assert.DoesNotContain(tasks.Skip(submitAt + 1), t => (string?)t["taskType"] == "getResponse" && (string?)t["taskUUID"] == taskUuid);

        // A replay of the genuine post: 401, and the job reads exactly as before.
        var before = (await GetAsync(triggers, id)).ToJsonString();
        Assert.Equal(401, (await triggers.SendAsync("POST", posted.PathAndQuery, ApiCase.Json(posted.Body))).Status);
        Assert.Equal(before, (await GetAsync(triggers, id)).ToJsonString());
        Assert.Single(fixture.Callbacks.Posts, p => p.Body.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CancelEdit_JobWithCallback_GetsOneSignedCanceledCallback()
    {
        var triggers = new TriggerInvoker(fixture.Runner);
        var id = await SubmitAsync(triggers, $$"""{"tool":"redux","prompt":"emulator:slow=600000","image":"{{Photo}}","callbackUrl":"{{fixture.Callbacks.Url("hooks/cancel")}}"}""");
        await WaitAsync(triggers, id, s => (string?)s["stage"] == "inferring");

        var canceled = await triggers.SendAsync("DELETE", $"/api/edits/{id}");

        Assert.Equal(200, canceled.Status);
        await WaitAsync(triggers, id, s => (string?)s["callback"]?["status"] == "delivered");
        var callback = Assert.Single(fixture.Callbacks.Posts, p => p.Body.Contains(id, StringComparison.Ordinal));
        Assert.True(CallbackVerifier.IsValid(WebhookTriggerFixture.Secret, callback));
        Assert.Equal("canceled", (string?)JsonNode.Parse(callback.Body)!["status"]);
        Assert.Equal($"{id}.canceled", callback.Header("x-flux-delivery"));
    }

    [Fact]
    public async Task CancelEdit_JobWithCallbackEvents_GetsStartedInferringThenCanceledSignedInOrder()
    {
        var triggers = new TriggerInvoker(fixture.Runner);
        var id = await SubmitAsync(triggers, $$"""{"tool":"redux","prompt":"emulator:slow=600000","image":"{{Photo}}","callbackUrl":"{{fixture.Callbacks.Url("hooks/events")}}","callbackEvents":["canceled","inferring","started"]}""");
        await fixture.Callbacks.WaitForAsync(ps => ps.Count(p => p.Body.Contains(id, StringComparison.Ordinal)) == 2, Timeout, "the started and inferring events");

        var canceled = await triggers.SendAsync("DELETE", $"/api/edits/{id}");

        Assert.Equal(200, canceled.Status);
        await WaitAsync(triggers, id, s => (string?)s["callback"]?["status"] == "delivered");
        var posts = fixture.Callbacks.Posts.Where(p => p.Body.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.Equal(["started", "inferring", "canceled"], posts.Select(p => (string?)JsonNode.Parse(p.Body)!["event"]));
        Assert.Equal([$"{id}.started", $"{id}.inferring", $"{id}.canceled"], posts.Select(p => p.Header("x-flux-delivery")));
        Assert.All(posts, p => Assert.True(CallbackVerifier.IsValid(WebhookTriggerFixture.Secret, p)));
    }

    private static string Flip(string token) => (token[0] == 'A' ? "B" : "A") + token[1..];

    private static async Task<string> SubmitAsync(TriggerInvoker triggers, string json)
    {
        var accepted = await triggers.SendAsync("POST", "/api/edits", ApiCase.Json(json));
        Assert.True(accepted.Status == 202, accepted.Text);
        return (string)JsonNode.Parse(accepted.Body)!["id"]!;
    }

    private static async Task<JsonObject> GetAsync(TriggerInvoker triggers, string id) =>
        JsonNode.Parse((await triggers.SendAsync("GET", $"/api/edits/{id}")).Body)!.AsObject();

    private static async Task<JsonObject> WaitAsync(TriggerInvoker triggers, string id, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(triggers, id);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {id} did not get there; last: {last?.ToJsonString()}");
    }
}
