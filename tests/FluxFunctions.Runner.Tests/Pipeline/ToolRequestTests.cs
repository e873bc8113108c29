using System.Text.Json.Nodes;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// The requests the runner sends for one job of each tool, recorded by a stand-in that is not our emulator (so the
/// emulator's own rules cannot hide a mistake), checked against SPEC §1; under each answer Runware's docs allow for a
/// taskUUID it does not know (issue: a stand-in answering <c>{"data": []}</c> made every job hang).
/// </summary>
public sealed class ToolRequestTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData(UnknownTaskAnswer.EmptyData)]
    [InlineData(UnknownTaskAnswer.TaskNotFound)]
    [InlineData(UnknownTaskAnswer.BadRequest)]
    public async Task OneJobPerTool_RequestsFollowTheFluxToolsRules(UnknownTaskAnswer unknown)
    {
        await using var recorder = await RecordingRunware.StartAsync(unknown);
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string>
        {
            ["Runware__BaseUrl"] = recorder.ApiUrl.ToString(),
            ["Runware__ApiKey"] = "recording-key-123",
        });

        await p.DropAsync("fill/r/door.mask.png", SampleJobs.Mask(800, 600));
        await p.DropAsync("fill/r/door.json", SampleJobs.Options("a blue door", "\"context\":{\"mode\":\"off\"}"));
        await p.DropAsync("fill/r/door.jpg", SampleJobs.Photo(800, 600, 1));
        await p.DropAsync("canny/r/house.json", SampleJobs.Options("a stone house", "\"preprocess\":{\"lowThreshold\":50,\"highThreshold\":150}"));
        await p.DropAsync("canny/r/house.jpg", SampleJobs.Photo(800, 600, 2));
        await p.DropAsync("depth/r/hill.json", SampleJobs.Options("a misty hill"));
        await p.DropAsync("depth/r/hill.jpg", SampleJobs.Photo(600, 800, 3));
        await p.DropAsync("redux/r/cat.jpg", SampleJobs.Photo(640, 640, 4));

        var (manifests, failures) = await p.WaitForOutcomesAsync(4, TimeSpan.FromSeconds(90));
        Assert.Empty(failures);
        Assert.Equal(4, manifests.Count);

        foreach (var (headers, body) in recorder.Requests)
        {
            Assert.Equal("Bearer recording-key-123", headers.Authorization.ToString());
            Assert.All(body, t => Assert.True(Guid.TryParse((string?)t!["taskUUID"], out var id) && id.Version == 4, "taskUUID must be a UUIDv4"));
        }

        var inferences = recorder.Tasks("imageInference").ToDictionary(t => (string)t["positivePrompt"]!);
        Assert.Equal(4, inferences.Count);
        Assert.All(inferences.Values, t =>
        {
            Assert.Equal("async", (string?)t["deliveryMethod"]);
            Assert.Equal(0, (int)t["width"]! % 64);
            Assert.Equal(0, (int)t["height"]! % 64);
            Assert.InRange((int)t["width"]!, 128, 2048);
            Assert.InRange((int)t["height"]!, 128, 2048);
            Assert.InRange((int)t["width"]! * (int)t["height"]!, 800_000, 1_300_000);
        });

        var fill = inferences["a blue door"];
        Assert.Equal("runware:102@1", (string?)fill["model"]);
        Assert.NotNull(fill["seedImage"]);
        Assert.NotNull(fill["maskImage"]);
        Assert.False(fill.ContainsKey("maskMargin") || fill.ContainsKey("strength"));

        var canny = inferences["a stone house"];
        Assert.Equal("runware:104@1", (string?)canny["model"]);
        Assert.NotNull(canny["seedImage"]);
        Assert.False(canny.ContainsKey("controlNet") || canny.ContainsKey("weight"));

        var depth = inferences["a misty hill"];
        Assert.Equal("runware:103@1", (string?)depth["model"]);
        Assert.False(depth.ContainsKey("controlNet") || depth.ContainsKey("weight"));
        var preprocess = Assert.Single(recorder.Tasks("controlNetPreprocess"));
        Assert.Equal("depth", (string?)preprocess["preProcessorType"]);
        Assert.NotNull(depth["seedImage"]);

        var redux = inferences["__BLANK__"];
        Assert.Equal("runware:101@1", (string?)redux["model"]);
        var adapter = Assert.IsType<JsonObject>(Assert.Single(redux["ipAdapters"]!.AsArray()));
        Assert.Equal("runware:105@1", (string?)adapter["model"]);
        Assert.NotNull(adapter["guideImage"]);
        Assert.False(adapter.ContainsKey("weight"));

        // Images go to Runware once per job: one imageUpload for each seed/guide and one for the Fill mask; the photo
        // Runware makes the depth map from goes inside that request (documented for inputImage), not uploaded first.
        Assert.Equal(4, recorder.Tasks("imageUpload").Count());
        Assert.All(recorder.Tasks("imageUpload"), u => Assert.StartsWith("data:image/", (string?)u["image"], StringComparison.Ordinal));
        Assert.StartsWith("data:image/jpeg;base64,", (string?)preprocess["inputImage"], StringComparison.Ordinal);

        // Each inference submitted (and paid for) once; nothing asked before the first submission of a task.
        Assert.All(recorder.SubmissionsPerTask().Values, n => Assert.Equal(1, n));
        Assert.Empty(recorder.Tasks("getTaskDetails"));
    }

    [Theory]
    [InlineData(UnknownTaskAnswer.EmptyData)]
    [InlineData(UnknownTaskAnswer.TaskNotFound)]
    public async Task FillWithContextCropThroughTheApi_Completes(UnknownTaskAnswer unknown)
    {
        await using var recorder = await RecordingRunware.StartAsync(unknown);
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Runware__BaseUrl"] = recorder.ApiUrl.ToString() });
        using var client = p.ApiClient();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(SampleJobs.Photo(2048, 1536, 5)) { Headers = { ContentType = new("image/jpeg") } }, "image", "street.jpg" },
            { new ByteArrayContent(SampleJobs.Mask(2048, 1536, new SkiaSharp.SKRectI(1200, 700, 1360, 820))) { Headers = { ContentType = new("image/png") } }, "mask", "street.mask.png" },
            { new StringContent("""{"tool":"fill","prompt":"a red bicycle","outputFormat":"PNG"}"""), "options" },
        };

        using var answer = await client.PostAsync(new Uri("/api/edits", UriKind.Relative), form);
        Assert.Equal(202, (int)answer.StatusCode);
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, TimeSpan.FromSeconds(90));

        Assert.Empty(failures);
        var manifest = Assert.Single(manifests).Json;
        Assert.True((bool)manifest["context"]!["cropped"]!);
        var inference = Assert.Single(recorder.Tasks("imageInference"));
        Assert.Equal("runware:102@1", (string?)inference["model"]);
        Assert.False(inference.ContainsKey("maskMargin") || inference.ContainsKey("strength"));
        Assert.True((int)inference["width"]! < 2048 || (int)inference["height"]! < 1536);
        Assert.Equal(1, Assert.Single(recorder.SubmissionsPerTask()).Value);
    }

    [Theory]
    [InlineData(UnknownTaskAnswer.EmptyData)]
    [InlineData(UnknownTaskAnswer.BadRequest)]
    public async Task InferenceLostAfterItWasAcknowledged_IsLookedUpAndSubmittedAgainUnderTheSameTaskUuid(UnknownTaskAnswer unknown)
    {
        await using var recorder = await RecordingRunware.StartAsync(unknown, forget: 1);
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Runware__BaseUrl"] = recorder.ApiUrl.ToString(), ["Flux__TaskSilenceSeconds"] = "2" });

        await p.DropAsync("canny/lost/house.json", SampleJobs.Options("a stone house"));
        await p.DropAsync("canny/lost/house.jpg", SampleJobs.Photo(640, 480, 2));
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, TimeSpan.FromSeconds(60));

        Assert.Empty(failures);
        var task = Assert.Single(Assert.Single(manifests).Json["runware"]!["tasks"]!.AsArray())!;
        Assert.Equal("Accepted", (string?)task["silenceCheck"]);
        Assert.Equal(2, Assert.Single(recorder.SubmissionsPerTask()).Value);
        Assert.Contains(recorder.Tasks("getTaskDetails"), t => (string?)t["taskUUID"] == (string?)task["taskUUID"]);
    }

    [Fact]
    public async Task InferenceLostEveryTime_FailsWithRunwareTaskMissing()
    {
        await using var recorder = await RecordingRunware.StartAsync(UnknownTaskAnswer.EmptyData, forget: 2);
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Runware__BaseUrl"] = recorder.ApiUrl.ToString(), ["Flux__TaskSilenceSeconds"] = "2" });

        await p.DropAsync("redux/lost/cat.jpg", SampleJobs.Photo(640, 640, 4));
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, TimeSpan.FromSeconds(60));

        Assert.Empty(manifests);
        var error = Assert.Single(failures).Json["error"]!;
        Assert.Equal("runwareTaskMissing", (string?)error["code"]);
        Assert.Contains("submitted again under the same taskUUID", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single(recorder.SubmissionsPerTask()).Value);
    }
}
