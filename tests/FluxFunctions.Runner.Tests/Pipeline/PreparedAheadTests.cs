using FluxFunctions.Core.Pipeline;
using FluxFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static FluxFunctions.Runner.Tests.Webhooks.WebhookJobs;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// An HTTP job's inputs prepared by the runner that admitted it while its orchestration starts
/// (<see cref="PreparedAhead"/>), end to end on Azurite and the emulator: the job's activity takes that preparation
/// instead of making its own, and nothing is prepared ahead while the slots are busy.
/// </summary>
public sealed class PreparedAheadTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task PostedJob_PreparedOnAdmission_ItsActivityTakesThatPreparation()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        var logs = new CapturedLogs();
        await p.StartRunnerAsync(configure: b => b.Logging.AddProvider(logs).AddFilter<CapturedLogs>("FluxFunctions", LogLevel.Debug));
        using var client = p.ApiClient();

        var id = await SubmitAsync(client, $$"""{"tool":"redux","image":"{{Photo}}"}""");
        var status = await WaitForEndAsync(client, id);

        Assert.Equal("completed", (string?)status["status"]);
        Assert.Contains(logs.Lines, l => l.Contains($"Job {id}: preparing its inputs while its orchestration starts", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("preparing them again", StringComparison.Ordinal));

        // Prepared once: an activity that prepared again would have uploaded the photo a second time.
        var uploads = (await RecordedAsync(p)).Count(t => (string?)t.Task["taskType"] == "imageUpload");
        Assert.Equal(1, uploads);
        Assert.Equal(0, p.Services.GetRequiredService<PreparedAhead>().Pending);
    }

    [Fact]
    public async Task PostedJob_NoSlotFree_NotPreparedAheadAndStillCompletes()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        var logs = new CapturedLogs();
        await p.StartRunnerAsync(
            new Dictionary<string, string> { ["Flux__MaxConcurrentInferences"] = "1" },
            b => b.Logging.AddProvider(logs).AddFilter<CapturedLogs>("FluxFunctions", LogLevel.Debug));
        using var client = p.ApiClient();
        var slots = p.Services.GetRequiredService<InferenceSlots>();

        // The one slot held by a slow inference: a job admitted meanwhile would only wait for it, so it prepares in its activity.
        var first = await SubmitAsync(client, $$"""{"tool":"redux","prompt":"emulator:slow=3000 first","image":"{{Photo}}"}""");
        var deadline = DateTime.UtcNow + Webhooks.WebhookJobs.Timeout;
        while (slots.HeldHere == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var second = await SubmitAsync(client, $$"""{"tool":"redux","prompt":"second","image":"{{Photo}}"}""");
        var ends = await Task.WhenAll(WaitForEndAsync(client, first), WaitForEndAsync(client, second));

        Assert.All(ends, s => Assert.Equal("completed", (string?)s["status"]));
        Assert.Contains(logs.Lines, l => l.Contains($"Job {first}: preparing its inputs while its orchestration starts", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains($"Job {second}: preparing its inputs while", StringComparison.Ordinal));
        Assert.Equal(2, (await RecordedAsync(p)).Count(t => (string?)t.Task["taskType"] == "imageUpload"));
    }
}
