using FluxFunctions.Core.Pipeline;
using FluxFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using static FluxFunctions.Host.Tests.Webhooks.WebhookJobs;

namespace FluxFunctions.Host.Tests.Pipeline;

/// <summary>
/// The runner's in-process shortcuts through the task hub, end to end on Azurite and the emulator: the watcher raises a
/// finished inference on its job (no durable poll), and jobs turned away for want of a slot are submitted by the host when one is free.
/// Every test sets the fallback to ten minutes, so a job can only finish in time if the event reached it.
/// </summary>
public sealed class InferenceWatcherTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly Dictionary<string, string> NoFallback = new() { ["Runware__WebhookFallbackSeconds"] = "600" };

    [Fact]
    public async Task Watcher_InferenceFinishes_ResultIsRaisedOnTheJobWithoutADurablePoll()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(NoFallback);
        using var client = p.ApiClient();

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","numberResults":2}""");
        var status = await WaitForEndAsync(client, id);

        Assert.Equal("completed", (string?)status["status"]);
        Assert.Equal(2, status["outputs"]!.AsArray().Count);
        var runware = Assert.Single(await p.ManifestsAsync()).Json["runware"]!;
        Assert.Equal(InferenceWatcher.Via, (string?)runware["resultDelivery"]);
        Assert.Null(runware["polls"]);

        // Besides the restart-safety check before the submit, the getResponse polls after it came from the watcher.
        var taskUuid = (string)runware["inferenceTaskUUID"]!;
        var tasks = await RecordedAsync(p);
        var submit = tasks.Single(t => (string?)t.Task["taskType"] == "imageInference" && (string?)t.Task["taskUUID"] == taskUuid).Seq;
        Assert.Contains(tasks, t => (string?)t.Task["taskType"] == "getResponse" && (string?)t.Task["taskUUID"] == taskUuid && t.Seq > submit);
        Assert.Equal(0, p.Services.GetRequiredService<InferenceWatcher>().Count);
        Assert.Equal(0, p.Services.GetRequiredService<InferenceSlots>().InFlight);
    }

    [Fact]
    public async Task Watcher_Off_JobPollsOnDurableTimers()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string>(NoFallback) { ["Flux__WatchPollIntervalMs"] = "0" });
        using var client = p.ApiClient();

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}"}""");
        var status = await WaitForEndAsync(client, id);

        Assert.Equal("completed", (string?)status["status"]);
        var runware = Assert.Single(await p.ManifestsAsync()).Json["runware"]!;
        Assert.Equal("poll", (string?)runware["resultDelivery"]);
        Assert.True((int)runware["polls"]! >= 1);
    }

    [Fact]
    public async Task SlotQueue_MoreJobsThanTheSlot_QueuedJobsAreSubmittedByTheHostAndAllComplete()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string>(NoFallback) { ["Flux__MaxConcurrentInferences"] = "1" });
        using var client = p.ApiClient();
        var slots = p.Services.GetRequiredService<InferenceSlots>();
        Assert.True(slots.QueuesSubmissions);

        // One slot: of six slow jobs at once, five must queue. With a 10-minute fallback only the host's hand-off can finish them in time.
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:slow=1200 job {{i}}","image":"{{Photo}}"}""")));
        var sawQueue = false;
        var deadline = DateTime.UtcNow + Webhooks.WebhookJobs.Timeout;
        while (!sawQueue && DateTime.UtcNow < deadline && (await p.ManifestsAsync()).Count < ids.Length)
        {
            sawQueue = slots.Queued > 0;
            await Task.Delay(20);
        }

        var ends = await Task.WhenAll(ids.Select(id => WaitForEndAsync(client, id)));

        Assert.True(sawQueue, "no job was ever queued for the slot");
        Assert.All(ends, s => Assert.Equal("completed", (string?)s["status"]));
        var stats = await p.StatsAsync();
        Assert.Equal(1, (int)stats["maxInFlight"]!);
        Assert.Equal(6, (int)stats["inferencesAccepted"]!);
        Assert.Equal(0, (int)stats["duplicateSubmissions"]!);
        Assert.Equal(0, slots.Queued);
    }
}
