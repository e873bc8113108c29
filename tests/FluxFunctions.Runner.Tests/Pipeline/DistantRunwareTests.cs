using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// With Runware a network away (the emulator's <c>RoundTripMs</c>), the requests a job makes one after another are what
/// it waits for: a Fill job's seed and mask go up side by side, and the photo a Depth guide is made from goes inside the
/// guide's request instead of being uploaded first.
/// </summary>
public sealed class DistantRunwareTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int RoundTripMs = 600;

    [Fact]
    public async Task Drop_FillAndDepth_UploadSideBySideAndSendTheGuidesPhotoInline()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite, emulator: o => o.RoundTripMs = RoundTripMs);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/far/photo.mask.png", SampleJobs.Mask());
        await p.DropAsync("fill/far/photo.json", SampleJobs.Options("a red door"));
        await p.DropAsync("fill/far/photo.jpg", SampleJobs.Photo());
        var (fill, fillFailures) = await p.WaitForOutcomesAsync(1, TimeSpan.FromSeconds(90), "fill/");
        Assert.Empty(fillFailures);

        await p.DropAsync("depth/far/hill.json", SampleJobs.Options("a misty hill"));
        await p.DropAsync("depth/far/hill.jpg", SampleJobs.Photo(640, 480, 3));
        var (depth, depthFailures) = await p.WaitForOutcomesAsync(1, TimeSpan.FromSeconds(90), "depth/");
        Assert.Empty(depthFailures);

        var recorded = await p.RecordedTasksAsync();
        var uploads = recorded.Where(r => (string?)r.Task["taskType"] == "imageUpload").ToList();
        Assert.Equal(2, uploads.Count);
        var apart = (uploads[1].Time - uploads[0].Time).Duration();
        Assert.True(apart < TimeSpan.FromMilliseconds(RoundTripMs / 2), $"the Fill seed and mask uploads were {apart.TotalMilliseconds:F0} ms apart: one waited for the other's {RoundTripMs} ms round trip");

        var preprocess = Assert.Single(recorded, r => (string?)r.Task["taskType"] == "controlNetPreprocess");
        Assert.StartsWith("data:image/jpeg;base64,", (string?)preprocess.Task["inputImage"], StringComparison.Ordinal);
        Assert.Equal(fill[0].Json["runware"]!["imageTransfer"]!.GetValue<string>(), depth[0].Json["runware"]!["imageTransfer"]!.GetValue<string>());
        Assert.True(depth[0].Json["runware"]!["bytesSent"]!.GetValue<long>() > 0, "the depth job's photo went to Runware inside the guide's request and counts as sent");
    }
}
