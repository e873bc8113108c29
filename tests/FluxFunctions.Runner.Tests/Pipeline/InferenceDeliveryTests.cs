using FluxFunctions.Core.Pipeline;
using FluxFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using static FluxFunctions.Runner.Tests.Webhooks.WebhookJobs;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// How a job gets its result, end to end on Azurite and the emulator: watched by the activity that submitted it, or by
/// durable polls; and the deployment's inference slots holding with more jobs than slots.
/// </summary>
public sealed class InferenceDeliveryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Watched_InferenceFinishes_ResultSeenByTheSubmittingActivityWithoutADurablePoll()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();
        using var client = p.ApiClient();

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}","numberResults":2}""");
        var status = await WaitForEndAsync(client, id);

        Assert.Equal("completed", (string?)status["status"]);
        Assert.Equal(2, status["outputs"]!.AsArray().Count);
        var runware = Assert.Single(await p.ManifestsAsync()).Json["runware"]!;
        Assert.Equal("watch", (string?)runware["resultDelivery"]);
        Assert.Null(runware["polls"]);

        // The first getResponse came after the submission (nothing is asked before a first submission); the slot is free.
        var taskUuid = (string)runware["inferenceTaskUUID"]!;
        var tasks = await RecordedAsync(p);
        var submit = tasks.Single(t => (string?)t.Task["taskType"] == "imageInference" && (string?)t.Task["taskUUID"] == taskUuid).Seq;
        Assert.All(tasks.Where(t => (string?)t.Task["taskUUID"] == taskUuid && (string?)t.Task["taskType"] == "getResponse"), t => Assert.True(t.Seq > submit));
        Assert.Equal(0, p.Services.GetRequiredService<InferenceSlots>().HeldHere);
    }

    [Fact]
    public async Task WatchOff_JobPollsOnDurableTimersAndThePollGivesTheSlotBack()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__InferenceWatchSeconds"] = "0", ["Flux__MaxConcurrentInferences"] = "1" });
        using var client = p.ApiClient();

        // One slot, three jobs: each later job can only get it once a durable poll of the one before saw its result.
        var ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => SubmitAsync(client, $$"""{"tool":"redux","prompt":"job {{i}}","image":"{{Photo}}"}""")));
        var ends = await Task.WhenAll(ids.Select(id => WaitForEndAsync(client, id)));

        Assert.All(ends, s => Assert.Equal("completed", (string?)s["status"]));
        var manifests = await p.ManifestsAsync();
        Assert.All(manifests, m => Assert.Equal("poll", (string?)m.Json["runware"]!["resultDelivery"]));
        Assert.All(manifests, m => Assert.True((int)m.Json["runware"]!["polls"]! >= 1));
        Assert.Equal(1, (int)(await p.StatsAsync())["maxInFlight"]!);
    }

    [Fact]
    public async Task Slots_MoreJobsThanSlots_NeverMoreInFlightAndAllComplete()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__MaxConcurrentInferences"] = "1" });
        using var client = p.ApiClient();
        var slots = p.Services.GetRequiredService<InferenceSlots>();

        // One slot: of six slow jobs at once, five must wait; each gets the slot the moment the one before gives it back.
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:slow=1200 job {{i}}","image":"{{Photo}}"}""")));
        var sawWaiting = false;
        var deadline = DateTime.UtcNow + Webhooks.WebhookJobs.Timeout;
        while (!sawWaiting && DateTime.UtcNow < deadline && (await p.ManifestsAsync()).Count < ids.Length)
        {
            sawWaiting = slots.Waiting > 0;
            await Task.Delay(20);
        }

        var ends = await Task.WhenAll(ids.Select(id => WaitForEndAsync(client, id)));

        Assert.True(sawWaiting, "no job ever waited for the slot");
        Assert.All(ends, s => Assert.Equal("completed", (string?)s["status"]));
        var stats = await p.StatsAsync();
        Assert.Equal(1, (int)stats["maxInFlight"]!);
        Assert.Equal(6, (int)stats["inferencesAccepted"]!);
        Assert.Equal(0, (int)stats["duplicateSubmissions"]!);
        Assert.Equal(0, slots.Waiting);
        Assert.Equal(0, slots.HeldHere);
    }
}
