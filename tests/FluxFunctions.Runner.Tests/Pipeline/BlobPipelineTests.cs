using System.Text.Json.Nodes;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Storage;
using FluxFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>Blob drops through the runner, the real durable engine on Azurite and the emulator over HTTP.</summary>
public sealed class BlobPipelineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Drop_InputRemovedWhileRunwareWorks_AResultOnlyConvertedIsStoredAnyway()
    {
        // A result that is not stitched back into the original needs nothing of the input at the end: a job whose input
        // is removed while Runware works on it (a lifecycle rule, a user tidying up) keeps the result it has paid for.
        await using var p = await PipelineHarness.CreateAsync(azurite, latencyMs: 3000);
        await p.StartRunnerAsync();

        await p.DropAsync("redux/gone/cat.jpg", SampleJobs.Photo(640, 640, 4));
        var deadline = DateTime.UtcNow + Timeout;
        while (!(await p.RecordedTasksAsync()).Any(t => (string?)t.Task["taskType"] == "imageInference"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the job never submitted its inference");
            await Task.Delay(50);
        }

        await p.Inputs.DeleteBlobAsync("redux/gone/cat.jpg");
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout, "redux/gone/");

        Assert.Empty(failures);
        Assert.Equal("completed", (string?)Assert.Single(manifests).Json["status"]);
    }

    [Fact]
    public async Task Drop_EachTool_WritesImagesAndManifestWithTheToolsModel()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/a/b/photo.mask.png", SampleJobs.Mask());
        await p.DropAsync("fill/a/b/photo.json", SampleJobs.Options("a red door", "\"numberResults\":2"));
        await p.DropAsync("fill/a/b/photo.jpg", SampleJobs.Photo());
        await p.DropAsync("canny/house.json", SampleJobs.Options("a wooden house"));
        await p.DropAsync("canny/house.png", SampleJobs.PhotoPng(700, 500, 2));
        await p.DropAsync("depth/x/valley.json", SampleJobs.Options("an alpine valley"));
        await p.DropAsync("depth/x/valley.webp", TestFiles.Webp(TestImages.PhotoLike(512, 512, 3)));
        await p.DropAsync("redux/cat.jpg", SampleJobs.Photo(800, 800, 4));

        var (manifests, failures) = await p.WaitForOutcomesAsync(4, Timeout);

        Assert.Empty(failures);
        Assert.Equal(4, manifests.Count);
        var byTool = manifests.ToDictionary(m => (string)m.Json["tool"]!, m => m);
        Assert.Equal("runware:102@1", (string?)byTool["fill"].Json["runware"]!["model"]);
        Assert.Equal("runware:104@1", (string?)byTool["canny"].Json["runware"]!["model"]);
        Assert.Equal("runware:103@1", (string?)byTool["depth"].Json["runware"]!["model"]);
        Assert.Equal("runware:101@1", (string?)byTool["redux"].Json["runware"]!["model"]);
        Assert.StartsWith("fill/a/b/photo/b", byTool["fill"].Name, StringComparison.Ordinal);
        Assert.Equal(2, byTool["fill"].Json["images"]!.AsArray().Count);

        foreach (var (name, json) in manifests)
        {
            Assert.Equal("completed", (string?)json["status"]);
            Assert.NotNull(json["runware"]!["inferenceTaskUUID"]);
            Assert.NotNull(json["source"]!["etag"]);
            Assert.NotNull(json["timingsMs"]);
            foreach (var image in json["images"]!.AsArray())
            {
                var blob = ((string)image!["blob"]!)[(p.OutputContainer.Length + 1)..];
                var bytes = (await p.Outputs.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray();
                using var decoded = SKBitmap.Decode(bytes);
                Assert.NotNull(decoded);
                Assert.Equal((int)image["width"]!, decoded.Width);
                Assert.Equal((int)image["height"]!, decoded.Height);
                Assert.NotNull(image["seed"]);
            }
        }

        // Stitch-back: the Fill result is at the input's size.
        var fillImage = byTool["fill"].Json["images"]![0]!;
        Assert.Equal((640, 480), ((int)fillImage["width"]!, (int)fillImage["height"]!));
    }

    [Fact]
    public async Task Drop_MaskBeforeImageAndImageBeforeMask_BothComplete()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/first/m.mask.png", SampleJobs.Mask());
        await p.DropAsync("fill/first/m.json", SampleJobs.Options("mask came first"));
        await p.DropAsync("fill/first/m.jpg", SampleJobs.Photo());

        await p.DropAsync("fill/later/m.json", SampleJobs.Options("mask came later"));
        await p.DropAsync("fill/later/m.jpg", SampleJobs.Photo());
        await WaitForStageAsync(p, "fill/later/m.jpg", "waiting-for-companions");
        await p.DropAsync("fill/later/m.mask.png", SampleJobs.Mask());

        var (manifests, failures) = await p.WaitForOutcomesAsync(2, Timeout);

        Assert.Empty(failures);
        Assert.Equal(2, manifests.Count);
        var masks = manifests.Select(m => (string?)m.Json["source"]!["mask"]!["blob"]).Order().ToArray();
        Assert.Equal(new[] { "fill/first/m.mask.png", "fill/later/m.mask.png" }, masks);
    }

    [Fact]
    public async Task Drop_OptionsAfterImage_JobWaitsAndUsesThem()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("canny/late/house.png", SampleJobs.PhotoPng());
        await WaitForStageAsync(p, "canny/late/house.png", "waiting-for-companions");
        await p.DropAsync("canny/late/house.json", SampleJobs.Options("options arrived later", "\"steps\":12"));

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        var manifest = Assert.Single(manifests).Json;
        Assert.Equal("options arrived later", (string?)manifest["prompt"]);
        Assert.Equal(12, (int?)manifest["runware"]!["request"]!["steps"]);
        var inference = (await p.RecordedTasksAsync()).Single(t => (string?)t.Task["taskType"] == "imageInference").Task;
        Assert.Equal("options arrived later", (string?)inference["positivePrompt"]);
    }

    [Fact]
    public async Task Drop_MissingCompanion_FailsAfterTheWaitWithARecordNamingIt()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__CompanionWaitSeconds"] = "2" });

        await p.DropAsync("fill/lonely/pic.json", SampleJobs.Options("no mask ever comes"));
        await p.DropAsync("fill/lonely/pic.png", SampleJobs.PhotoPng());

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(manifests);
        var (name, record) = Assert.Single(failures);
        Assert.StartsWith("fill/lonely/pic/b", name, StringComparison.Ordinal);
        Assert.Equal("missingCompanion", (string?)record["error"]!["code"]);
        Assert.Equal("fill/lonely/pic.mask.png", (string?)record["error"]!["parameter"]);
        Assert.Contains("fill/lonely/pic.mask.png", (string?)record["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal("waiting-for-companions", (string?)record["stage"]);
        Assert.Equal(0L, (long)(await p.StatsAsync())["inferencesAccepted"]!);
        Assert.True(await p.Inputs.GetBlobClient("fill/lonely/pic.png").ExistsAsync(), "the input must stay where it was");
    }

    [Fact]
    public async Task Notify_SameUploadTwice_RunsOneJob_ReuploadRunsANewOne()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__WatchIntervalMs"] = "600000" });
        var dispatcher = p.Services.GetRequiredService<DropDispatcher>();

        await p.DropAsync("redux/dup.json", """{"numberResults":1}""");
        var etag = await p.DropAsync("redux/dup.png", SampleJobs.PhotoPng());
        var first = await dispatcher.HandleAsync(p.DurableClient, "redux/dup.png", etag);
        var again = await dispatcher.HandleAsync(p.DurableClient, "redux/dup.png", etag);
        await p.WaitForOutcomesAsync(1, Timeout);
        var afterDone = await dispatcher.HandleAsync(p.DurableClient, "redux/dup.png", etag);

        Assert.Equal(DropOutcome.Started, first);
        Assert.Equal(DropOutcome.AlreadyStarted, again);
        Assert.Equal(DropOutcome.AlreadyStarted, afterDone);
        await Task.Delay(1000);
        Assert.Single(await p.ManifestsAsync());
        Assert.Equal(1L, (long)(await p.StatsAsync())["inferencesAccepted"]!);

        var newEtag = await p.DropAsync("redux/dup.png", SampleJobs.PhotoPng(seed: 9));
        Assert.Equal(DropOutcome.Started, await dispatcher.HandleAsync(p.DurableClient, "redux/dup.png", newEtag));
        var (manifests, _) = await p.WaitForOutcomesAsync(2, Timeout);

        Assert.Equal(2, manifests.Count);
        Assert.Equal(2, manifests.Select(m => (string?)m.Json["jobId"]).Distinct().Count());
        Assert.Equal(new[] { etag, newEtag }.Order(), manifests.Select(m => (string)m.Json["source"]!["etag"]!).Order());
    }

    [Fact]
    public async Task RunwareValidationError_EndsInAFailureRecordWithoutRetries()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("canny/bad/x.json", SampleJobs.Options("please emulator:reject this"));
        await p.DropAsync("canny/bad/x.png", SampleJobs.PhotoPng());

        var (_, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        var record = Assert.Single(failures).Json;
        Assert.Equal("invalidPositivePrompt", (string?)record["error"]!["code"]);
        Assert.Equal("positivePrompt", (string?)record["error"]!["parameter"]);
        Assert.Equal("submitting", (string?)record["stage"]);
        Assert.Equal(1, (int?)record["attemptsInStage"]);
        var submissions = (await p.RecordedTasksAsync()).Count(t => (string?)t.Task["taskType"] == "imageInference");
        Assert.Equal(1, submissions);
    }

    [Fact]
    public async Task Drop_UnknownToolFolderAndBadImage_GetSpecificFailureRecords_InputsUntouched()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("paint/x.png", SampleJobs.PhotoPng());
        await p.DropAsync("canny/broken.json", SampleJobs.Options("a house"));
        var broken = SampleJobs.PhotoPng()[..200];
        await p.DropAsync("canny/broken.png", broken);
        await p.DropAsync("canny/empty.json", SampleJobs.Options("a house"));
        await p.DropAsync("canny/empty.png", []);

        var (_, failures) = await p.WaitForOutcomesAsync(3, Timeout);

        var codes = failures.ToDictionary(f => f.Name.Split('/')[0] + "/" + f.Name.Split('/')[1], f => (string?)f.Json["error"]!["code"]);
        Assert.Equal("unknownTool", codes["paint/x"]);
        Assert.Equal("corruptImage", codes["canny/broken"]);
        Assert.Equal("emptyImage", codes["canny/empty"]);
        var kept = (await p.Inputs.GetBlobClient("canny/broken.png").DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(broken, kept);
    }

    private static async Task WaitForStageAsync(PipelineHarness p, string blob, string stage)
    {
        var etag = (await p.Inputs.GetBlobClient(blob).GetPropertiesAsync()).Value.ETag.ToString();
        var jobId = JobIds.ForBlob(p.InputContainer, blob, etag);
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var instance = await p.DurableClient.GetInstanceAsync(jobId, getInputsAndOutputs: true);
            if (instance?.SerializedCustomStatus is { } status && JsonNode.Parse(status)?["stage"]?.GetValue<string>() == stage)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Job for {blob} never reached {stage}.");
    }
}
