using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Inspection;

/// <summary><c>/emulator/requests</c>, <c>/emulator/stats</c> and <c>/emulator/health</c> (protocol §12).</summary>
public sealed class InspectionTests
{
    private const string Key = "rw-secret-key-abcdef";

    [Fact]
    public async Task Requests_Recorded_RedactBearerAndApiKeyAndShortenBase64()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ApiKey = Key);
        var image = Convert.ToBase64String(TestImages.Gradient(128, 128));
        var upload = Upload(image);
        var authentication = new JsonObject { ["taskType"] = "authentication", ["apiKey"] = Key };

        await emulator.SendAsync(new JsonArray(authentication, upload).ToJsonString(),
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key));
        var recorded = await emulator.RequestsAsync();

        var entry = Assert.IsType<JsonObject>(Assert.Single(recorded));
        var text = entry.ToJsonString();
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Equal("Bearer ***", (string?)entry["headers"]!["Authorization"]);
        Assert.Equal("***", (string?)entry["body"]![0]!["apiKey"]);
        var shortened = (string)entry["body"]![1]!["image"]!;
        Assert.Equal($"{image[..40]}…({image.Length} chars)", shortened);
        Assert.Equal(upload.Uuid(), (string?)entry["body"]![1]!["taskUUID"]);
        Assert.Equal(200, (int)entry["status"]!);
        Assert.Equal("POST", (string?)entry["method"]);
        Assert.Equal("/v1", (string?)entry["path"]);
        Assert.Equal(1, (long)entry["seq"]!);
        Assert.Null(entry["fault"]);
    }

    [Fact]
    public async Task Requests_Delete_ClearsTheRecord()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await emulator.PostAsync(GetResponse(NewUuid()));

        using var response = await emulator.Http.DeleteAsync(new Uri("emulator/requests", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await emulator.RequestsAsync());
    }

    [Fact]
    public async Task Requests_BeyondMaxRecordedRequests_KeepsTheNewest()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.MaxRecordedRequests = 3);
        for (var i = 0; i < 5; i++)
        {
            await emulator.PostAsync(GetResponse(NewUuid()));
        }

        var recorded = await emulator.RequestsAsync();

        Assert.Equal([3L, 4L, 5L], recorded.Select(r => (long)r!["seq"]!));
    }

    [Fact]
    public async Task Stats_RequestBytes_SumsTheBodiesSent()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var bodies = new[]
        {
            "[" + Upload(TestImages.DataUri(TestImages.Gradient(128, 128))).ToJsonString() + "]",
            "[" + GetResponse(NewUuid()).ToJsonString() + "]",
            "not json",
        };
        foreach (var body in bodies)
        {
            await emulator.SendAsync(body);
        }

        var stats = await emulator.StatsAsync();

        Assert.Equal(3, TestEmulator.Stat(stats, "requests"));
        Assert.Equal(bodies.Sum(b => (long)Encoding.UTF8.GetByteCount(b)), TestEmulator.Stat(stats, "requestBytes"));
        Assert.Equal(1, TestEmulator.Stat(stats, "uploads"));
        Assert.True(TestEmulator.Stat(stats, "uploadBytes") > 100);
    }

    [Fact]
    public async Task Stats_ResultFetched_TimesOnlyTheFirstFetchOfAFinishedResultAndCountsEveryPoll()
    {
        // 1.5 s of inference, so the first poll finds it processing even on a busy machine (with 100 ms a CI run under load
        // polled after the result was in, and the fetch was counted there).
        await using var emulator = await TestEmulator.StartAsync(o => o.LatencyMs = 1500);
        var task = Inference(Dev, 128).Async();
        (await emulator.PostAsync(task)).AssertOk();
        await emulator.PostAsync(GetResponse(task.Uuid()));          // still processing: not a fetch of the result
        var deadline = DateTime.UtcNow.AddSeconds(30);                // finished (1.5 s + render; longer on a busy machine) …
        while (TestEmulator.Stat(await emulator.StatsAsync(), "inferencesCompleted") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(400);                                        // … the result then waits for its client

        await emulator.PostAsync(GetResponse(task.Uuid()));
        await emulator.PostAsync(GetResponse(task.Uuid()));           // fetched again: not counted again
        var stats = await emulator.StatsAsync();

        Assert.Equal(1, TestEmulator.Stat(stats, "resultsFetched"));
        Assert.InRange(TestEmulator.Stat(stats, "resultFetchDelayMs"), 300, 5000);
        Assert.Equal(TestEmulator.Stat(stats, "resultFetchDelayMs"), TestEmulator.Stat(stats, "resultFetchMaxDelayMs"));
        Assert.Equal(3, TestEmulator.Stat(stats, "resultPolls"));  // every poll of the task, processing or finished
        Assert.Equal(0, TestEmulator.Stat(stats, "resultsFetchedAtFirstPoll"));  // the first poll found it processing
    }

    [Fact]
    public async Task Stats_FirstStarts_AreTheFirstInferencesStartTimesAfterTheFirstOneAndResetWithDelete()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.LatencyMs = 0);
        (await emulator.PostAsync(Inference(Dev, 128))).AssertOk();
        await Task.Delay(200);
        (await emulator.PostAsync(Inference(Dev, 128))).AssertOk();

        var before = await emulator.StatsAsync();
        var starts = before["firstStartsMs"]!.AsArray().Select(s => (long)s!).ToList();
        using var response = await emulator.Http.DeleteAsync(new Uri("emulator/stats", UriKind.Relative));
        var afterReset = await emulator.StatsAsync();

        Assert.Equal(2, starts.Count);
        Assert.Equal(0, starts[0]);
        Assert.InRange(starts[1], 200, 10_000);
        Assert.Empty(afterReset["firstStartsMs"]!.AsArray());

        // The first of them is the curve's first start, and goes with it.
        Assert.NotNull(before["firstInferenceStartedAt"]);
        Assert.Null(afterReset["firstInferenceStartedAt"]);
    }

    [Fact]
    public async Task Stats_ImagesServed_CountsEachImageFetchedFromItsUrl()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var answer = await emulator.PostAsync(Inference(Dev, 128));
        answer.AssertOk();
        var url = (string)answer.Data[0]!["imageURL"]!;
        var before = TestEmulator.Stat(await emulator.StatsAsync(), "imagesServed");

        await emulator.GetImageAsync(url);
        await emulator.GetImageAsync(url);

        Assert.Equal(0, before);
        Assert.Equal(2, TestEmulator.Stat(await emulator.StatsAsync(), "imagesServed"));
    }

    [Fact]
    public async Task Stats_Delete_ResetsTheCounters()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await emulator.PostAsync(Inference(Dev, 128));

        using var response = await emulator.Http.DeleteAsync(new Uri("emulator/stats", UriKind.Relative));
        var stats = await emulator.StatsAsync();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, TestEmulator.Stat(stats, "requests"));
        Assert.Equal(0, TestEmulator.Stat(stats, "inferencesAccepted"));
        Assert.Equal(0, TestEmulator.Stat(stats, "maxInFlight"));
    }

    [Fact]
    public async Task Health_Always_Answers200()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = "500:1");

        using var response = await emulator.Http.GetAsync(new Uri("emulator/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Stats_DialectCounters_StartAtZeroAndResetWithDelete()
    {
        string[] names = ["inferencesCharged", "duplicatesRejected", "duplicatesAccepted", "duplicateSubmissions", "tasksForgotten", "unknownTaskAnswers", "taskDetailsRequests"];
        await using var emulator = await TestEmulator.StartAsync();
        var fresh = await emulator.StatsAsync();
        var task = Inference(Dev, 128);
        await emulator.PostAsync(task);
        await emulator.PostAsync(task);
        await emulator.PostAsync(GetResponse(NewUuid()));
        await emulator.PostAsync(TaskDetails(task.Uuid()));
        var counted = await emulator.StatsAsync();

        using var reset = await emulator.Http.DeleteAsync(new Uri("emulator/stats", UriKind.Relative));
        var after = await emulator.StatsAsync();

        Assert.All(names, n => Assert.Equal(0, TestEmulator.Stat(fresh, n)));
        Assert.Equal(1, TestEmulator.Stat(counted, "inferencesCharged"));
        Assert.Equal(1, TestEmulator.Stat(counted, "duplicatesRejected"));
        Assert.Equal(1, TestEmulator.Stat(counted, "duplicateSubmissions"));
        Assert.Equal(1, TestEmulator.Stat(counted, "unknownTaskAnswers"));
        Assert.Equal(1, TestEmulator.Stat(counted, "taskDetailsRequests"));
        Assert.All(names, n => Assert.Equal(0, TestEmulator.Stat(after, n)));
        Assert.Equal(0, (long)after["faults"]!["forget"]!);
    }
}
