using System.Collections.Concurrent;
using System.Diagnostics;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Core.Telemetry;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

public sealed class TelemetryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Job_EmitsASpanPerStage_WithJobToolAndModel_AndNoSecret()
    {
        const string runwareKey = "rw-telemetry-secret-4711";
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == FluxTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var p = await PipelineHarness.CreateAsync(azurite, emulator: o => o.ApiKey = runwareKey);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Runware__ApiKey"] = runwareKey });

        await p.DropAsync("canny/otel/house.json", SampleJobs.Options("a traced house"));
        var etag = await p.DropAsync("canny/otel/house.png", SampleJobs.PhotoPng());
        var (manifests, _) = await p.WaitForOutcomesAsync(1, TimeSpan.FromSeconds(90));
        Assert.Single(manifests);
        var jobId = JobIds.ForBlob(p.InputContainer, "canny/otel/house.png", etag);

        var mine = spans.Where(s => (string?)s.GetTagItem(FluxTelemetry.JobIdTag) == jobId).ToList();
        var stages = mine.Select(s => s.OperationName).ToHashSet();
        // The first inference attempt (submitted and watched in process) runs inside the preparation's activity, with its own span.
        foreach (var stage in new[] { "PrepareInputs", "RunInference", "FinishJob" })
        {
            Assert.Contains(stage, stages);
        }

        Assert.All(mine, s =>
        {
            Assert.Equal("canny", (string?)s.GetTagItem(FluxTelemetry.ToolTag));
            Assert.Equal("runware:104@1", (string?)s.GetTagItem(FluxTelemetry.ModelTag));
            Assert.DoesNotContain(s.TagObjects, t => t.Value?.ToString()?.Contains(runwareKey, StringComparison.Ordinal) == true);
        });
    }
}
