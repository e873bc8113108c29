using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Runner.Tests.Pipeline;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Webhooks;
using static FluxFunctions.Runner.Tests.Webhooks.WebhookJobs;

namespace FluxFunctions.Runner.Tests.Webhooks;

/// <summary>
/// Runware's webhook delivery end to end: the emulator posts each result to the task's webhookURL on the runner, whose
/// anonymous route checks the per-job token and wakes the waiting orchestration; polling is only the fallback.
/// </summary>
public sealed class RunwareWebhookTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData("perResult")]
    [InlineData("perTask")]
    public async Task Webhook_JobCompletesFromRunwaresPosts_WithNoPollAfterSubmit(string shape)
    {
        // Runware's docs say each completed item triggers its own post; one post per task is read the same way.
        await using var p = await PipelineHarness.CreateAsync(azurite, emulator: o => o.WebhookShape = shape);
        await p.StartRunnerAsync(WebhookSettings(p.RunnerAddress.ToString()));
        using var client = p.ApiClient();

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","numberResults":2}""");
        var status = await WaitForEndAsync(client, id);

        Assert.Equal("completed", (string?)status["status"]);
        var outputs = status["outputs"]!.AsArray();
        Assert.Equal(2, outputs.Count);
        Assert.NotEqual((long?)outputs[0]!["seed"], (long?)outputs[1]!["seed"]);

        // The task carried the webhook URL with the job's token; nobody polled getResponse, before or after the submit
        // (a first submission goes straight out; only one in doubt is looked up first).
        var (_, inference) = await InferenceOfAsync(p, id);
        var webhookUrl = (string)inference["webhookURL"]!;
        Assert.StartsWith($"{p.RunnerAddress}api/runware/webhook/{id}?token=", webhookUrl, StringComparison.Ordinal);
        var taskUuid = (string)inference["taskUUID"]!;
        var polls = (await RecordedAsync(p)).Where(t => (string?)t.Task["taskType"] == "getResponse" && (string?)t.Task["taskUUID"] == taskUuid).ToList();
        Assert.Empty(polls);

        // The manifest says how the result came and holds the webhook URL without its token.
        var manifest = Assert.Single(await p.ManifestsAsync()).Json;
        Assert.Equal("webhook", (string?)manifest["runware"]!["resultDelivery"]);
        Assert.Null(manifest["runware"]!["polls"]);
        Assert.Equal($"{p.RunnerAddress}api/runware/webhook/{id}", (string?)manifest["runware"]!["webhook"]);
        Assert.DoesNotContain(webhookUrl[(webhookUrl.IndexOf('=', StringComparison.Ordinal) + 1)..], manifest.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_ForgedOrReplayedPosts_Are401AndChangeNothing()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(WebhookSettings(p.RunnerAddress.ToString()));
        using var client = p.ApiClient();
        using var anonymous = new HttpClient { BaseAddress = p.RunnerAddress };

        var other = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}"}""");
        await WaitForEndAsync(client, other);
        var slow = await SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:slow=8000","image":"{{Photo}}"}""");
        await WaitForStageAsync(client, slow, "inferring");
        var (_, slowTask) = await InferenceOfAsync(p, slow);
        var (_, otherTask) = await InferenceOfAsync(p, other);
        var slowUrl = new Uri((string)slowTask["webhookURL"]!);
        var otherUrl = new Uri((string)otherTask["webhookURL"]!);
        var slowToken = Token(slowUrl);
        var slowUuid = (string)slowTask["taskUUID"]!;
        var otherUuid = (string)otherTask["taskUUID"]!;
        var failure = $$"""{"code":"inferenceFailed","message":"forged","taskType":"imageInference","taskUUID":"{{slowUuid}}","status":"error"}""";

        // While the job waits: wrong, missing and another job's token; this job's token with another task; not a result.
        Assert.Equal(401, await PostAsync(anonymous, $"/api/runware/webhook/{slow}?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", failure));
        Assert.Equal(401, await PostAsync(anonymous, $"/api/runware/webhook/{slow}", failure));
        Assert.Equal(401, await PostAsync(anonymous, $"/api/runware/webhook/{slow}?token={Token(otherUrl)}", failure));
        Assert.Equal(401, await PostAsync(anonymous, $"/api/runware/webhook/{other}?token={slowToken}", failure.Replace(slowUuid, otherUuid, StringComparison.Ordinal)));
        Assert.Equal(401, await PostAsync(anonymous, $"/api/runware/webhook/{slow}?token={slowToken}", failure.Replace(slowUuid, otherUuid, StringComparison.Ordinal)));
        Assert.Equal(400, await PostAsync(anonymous, $"/api/runware/webhook/{slow}?token={slowToken}", "not json"));

        // None of them reached the job: it completes with Runware's real result.
        var ended = await WaitForEndAsync(client, slow);
        Assert.Equal("completed", (string?)ended["status"]);
        Assert.Single(ended["outputs"]!.AsArray());

        // Replays of authentic posts once the results were taken: 401, and the jobs read exactly as before.
        var before = (await GetAsync(client, slow)).ToJsonString();
        var otherBefore = (await GetAsync(client, other)).ToJsonString();
        Assert.Equal(401, await PostAsync(anonymous, slowUrl.PathAndQuery, failure));
        Assert.Equal(401, await PostAsync(anonymous, otherUrl.PathAndQuery, failure.Replace(slowUuid, otherUuid, StringComparison.Ordinal)));
        Assert.Equal(before, (await GetAsync(client, slow)).ToJsonString());
        Assert.Equal(otherBefore, (await GetAsync(client, other)).ToJsonString());
        Assert.Equal(2, (await p.ManifestsAsync()).Count);
        Assert.Empty(await p.FailuresAsync());
    }

    [Fact]
    public async Task Webhook_EveryPostDeliveredTwice_EachGenerationCountsOnce()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        using var forward = new HttpClient { BaseAddress = p.RunnerAddress };
        await using var relay = await WebhookReceiver.StartAsync(async (post, _) =>
        {
            // At-least-once delivery, exaggerated: every post reaches the runner twice.
            await PostAsync(forward, post.PathAndQuery, post.Body);
            await PostAsync(forward, post.PathAndQuery, post.Body);
            return 200;
        });
        await p.StartRunnerAsync(WebhookSettings(relay.BaseAddress.ToString()));
        using var client = p.ApiClient();

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","numberResults":3}""");
        var status = await WaitForEndAsync(client, id);

        Assert.Equal("completed", (string?)status["status"]);
        var seeds = status["outputs"]!.AsArray().Select(o => (long)o!["seed"]!).ToList();
        Assert.Equal(3, seeds.Distinct().Count());
        Assert.Equal(3, relay.Posts.Count);
        Assert.Equal("webhook", (string?)Assert.Single(await p.ManifestsAsync()).Json["runware"]!["resultDelivery"]);
    }

    [Fact]
    public async Task Webhook_PostedWhileTheJobStillReadsPreparing_IsTakenNotRefused()
    {
        // The first submission goes out inside the preparing activity, so a fast model's post can arrive before the
        // orchestration has recorded the stage after it. Here Runware is 4 s away and the model instant: the posts come
        // while the submission's answer is still on its way back (the job's recorded stage is "preparing"). Refused,
        // they would be lost and the job would wait the whole 600 s fallback.
        await using var p = await PipelineHarness.CreateAsync(azurite, latencyMs: 0, emulator: o => o.RoundTripMs = 4000);
        using var client = p.ApiClient();
        using var forward = new HttpClient { BaseAddress = p.RunnerAddress };
        var stages = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        await using var relay = await WebhookReceiver.StartAsync(async (post, _) =>
        {
            var jobId = post.PathAndQuery.Split('?')[0].Split('/')[^1];
            // The stage as the orchestration recorded it (the API shows a preparing job whose slot is taken as inferring).
            var job = await p.DurableClient.GetInstanceAsync(jobId, getInputsAndOutputs: true);
            stages.Enqueue(job?.ReadCustomStatusAs<JobProgress>()?.Stage);
            return await PostAsync(forward, post.PathAndQuery, post.Body);
        });
        await p.StartRunnerAsync(WebhookSettings(relay.BaseAddress.ToString()));

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","numberResults":2}""");
        var answered = await relay.WaitForAsync(posts => posts.Count == 2, WebhookJobs.Timeout, "both posts");

        Assert.Equal(["preparing", "preparing"], stages);
        Assert.All(answered, post => Assert.Equal(200, post.Answer));
        var status = await WaitForEndAsync(client, id);
        Assert.Equal("completed", (string?)status["status"]);
        Assert.Equal(2, status["outputs"]!.AsArray().Count);
        Assert.Equal("webhook", (string?)Assert.Single(await p.ManifestsAsync()).Json["runware"]!["resultDelivery"]);
    }

    [Fact]
    public async Task Webhook_NeverArrives_JobFallsBackToPolling()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}/";
        await p.StartRunnerAsync(WebhookSettings(nowhere, fallbackSeconds: 1));
        using var client = p.ApiClient();

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}"}""");
        var status = await WaitForEndAsync(client, id);

        Assert.Equal("completed", (string?)status["status"]);
        var runware = Assert.Single(await p.ManifestsAsync()).Json["runware"]!;
        Assert.Equal("poll", (string?)runware["resultDelivery"]);
        Assert.True((int)runware["polls"]! >= 1);
        Assert.Equal($"{nowhere}api/runware/webhook/{id}", (string?)runware["webhook"]);
    }

    private static Dictionary<string, string> WebhookSettings(string baseUrl, int fallbackSeconds = 600) => new()
    {
        ["Flux__WebhookSecret"] = Secret,
        ["Runware__WebhookBaseUrl"] = baseUrl,
        ["Runware__WebhookFallbackSeconds"] = fallbackSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Token(Uri webhookUrl) => webhookUrl.Query[(webhookUrl.Query.IndexOf('=', StringComparison.Ordinal) + 1)..];

    private static async Task<int> PostAsync(HttpClient client, string pathAndQuery, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(pathAndQuery, UriKind.Relative), content);
        return (int)response.StatusCode;
    }
}
