using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// The pipeline against each plausible Runware (<see cref="EmulatorDialect"/>): what its docs leave open (a task it does
/// not know, a repeated taskUUID, the webhook's shape, a task not shown at once) answered each way. Every job ends, none
/// is lost, none is paid twice.
/// </summary>
public sealed class DialectTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static TheoryData<string> Dialects => [.. EmulatorDialect.All.Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task OneJobPerTool_Completes_EachInferencePaidOnce(string name)
    {
        await using var p = await PipelineHarness.CreateAsync(azurite, latencyMs: 300, emulator: EmulatorDialect.Named(name).ApplyTo);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/d/door.mask.png", SampleJobs.Mask(800, 600));
        await p.DropAsync("fill/d/door.json", SampleJobs.Options("a blue door"));
        await p.DropAsync("fill/d/door.jpg", SampleJobs.Photo(800, 600, 1));
        await p.DropAsync("canny/d/house.json", SampleJobs.Options("a stone house"));
        await p.DropAsync("canny/d/house.jpg", SampleJobs.Photo(800, 600, 2));
        await p.DropAsync("depth/d/hill.json", SampleJobs.Options("a misty hill"));
        await p.DropAsync("depth/d/hill.jpg", SampleJobs.Photo(600, 800, 3));
        await p.DropAsync("redux/d/cat.json", """{"numberResults":2}""");
        await p.DropAsync("redux/d/cat.jpg", SampleJobs.Photo(640, 640, 4));
        var (manifests, failures) = await p.WaitForOutcomesAsync(4, Timeout);

        Assert.True(failures.Count == 0, string.Join("; ", failures.Select(f => f.Json["error"]?.ToJsonString())));
        Assert.Equal(4, manifests.Count);
        var stats = await p.StatsAsync();
        Assert.Equal(4, (long)stats["inferencesCharged"]!);
        Assert.Equal(0, (long)stats["duplicateSubmissions"]!);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task InferenceLostAfterItWasAcknowledged_IsSubmittedAgainUnderTheSameTaskUuidAndCompletes(string name)
    {
        await using var p = await PipelineHarness.CreateAsync(azurite, latencyMs: 300, emulator: EmulatorDialect.Named(name).ApplyTo);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__TaskSilenceSeconds"] = "2" });

        await p.DropAsync("canny/lost/house.json", SampleJobs.Options("a stone house emulator:forget-once"));
        await p.DropAsync("canny/lost/house.jpg", SampleJobs.Photo(640, 480, 2));
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.True(failures.Count == 0, string.Join("; ", failures.Select(f => f.Json["error"]?.ToJsonString())));
        var task = Assert.Single(Assert.Single(manifests).Json["runware"]!["tasks"]!.AsArray())!;
        Assert.Equal("Accepted", (string?)task["silenceCheck"]);
        var recorded = await p.RecordedTasksAsync();
        Assert.Equal(2, recorded.Count(t => (string?)t.Task["taskType"] == "imageInference" && (string?)t.Task["taskUUID"] == (string?)task["taskUUID"]));
        Assert.Contains(recorded, t => (string?)t.Task["taskType"] == "getTaskDetails");
        Assert.Equal(1, (long)(await p.StatsAsync())["inferencesCharged"]!);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task InferenceLostEveryTime_FailsWithRunwareTaskMissing(string name)
    {
        await using var p = await PipelineHarness.CreateAsync(azurite, latencyMs: 300, emulator: EmulatorDialect.Named(name).ApplyTo);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__TaskSilenceSeconds"] = "2" });

        await p.DropAsync("canny/gone/house.json", SampleJobs.Options("a stone house emulator:forget"));
        await p.DropAsync("canny/gone/house.jpg", SampleJobs.Photo(640, 480, 2));
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(manifests);
        var error = Assert.Single(failures).Json["error"]!;
        Assert.Equal("runwareTaskMissing", (string?)error["code"]);
        Assert.Equal(0, (long)(await p.StatsAsync())["inferencesCharged"]!);
    }
}
