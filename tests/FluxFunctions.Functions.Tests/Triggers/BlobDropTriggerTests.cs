using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Functions.Durable;
using FluxFunctions.Functions.Triggers;
using FluxFunctions.Runner;
using FluxFunctions.Runner.Watching;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>A runner whose input watcher is idle, so only the Functions blob trigger methods start jobs.</summary>
public sealed class BlobTriggerFixture : RunnerFixture
{
    protected override WebApplication BuildRunner(string[] args, Action<WebApplicationBuilder> configure) =>
        RunnerApp.Build(args, b =>
        {
            configure(b);
            b.Configuration["Flux:WatchIntervalMs"] = "600000";
        });

    /// <summary>
    /// The watcher makes one pass at start, then none for ten minutes: the tests begin after it, or a blob uploaded
    /// during that pass starts a job of its own (a test calling the activity itself then saw two inferences).
    /// </summary>
    protected override async Task StartedAsync()
    {
        var watcher = Services.GetRequiredService<InputWatcher>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (watcher.Passes == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the input watcher made no pass within 60 s");
            await Task.Delay(50);
        }
    }
}

/// <summary>
/// The Functions blob trigger and activity wrappers called directly with what the host would give them (a BlobClient of
/// the new blob, its name, a durable client), against Azurite, the real durable engine and the emulator.
/// </summary>
public sealed class BlobDropTriggerTests(BlobTriggerFixture fixture) : IClassFixture<BlobTriggerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private BlobContainerClient Inputs => fixture.Azurite.BlobService.GetBlobContainerClient("flux-inputs");

    private BlobDropTriggers Triggers => new(fixture.Services.GetRequiredService<DropDispatcher>());

    private DurableTaskClient Client => fixture.Services.GetRequiredService<DurableTaskClient>();

    [Fact]
    public async Task BlobDrop_SameUploadDeliveredThreeTimesByBothSources_RunsOneJob()
    {
        await Inputs.CreateIfNotExistsAsync();
        await Inputs.GetBlobClient("canny/trigger/house.json").UploadAsync(BinaryData.FromString("""{"prompt":"a house seen by the blob trigger"}"""), overwrite: true);
        var blob = Inputs.GetBlobClient("canny/trigger/house.png");
        await blob.UploadAsync(BinaryData.FromBytes(TestFiles.Png(TestImages.PhotoLike(512, 384, 7))), overwrite: true);

        await Triggers.BlobDrop(blob, blob.Name, Client, CancellationToken.None);
        await Triggers.BlobDrop(blob, blob.Name, Client, CancellationToken.None);
        await Triggers.BlobDropEventGrid(blob, blob.Name, Client, CancellationToken.None);

        var manifests = await WaitForManifestsAsync("canny/trigger/house/", 1);
        await Task.Delay(1500);
        Assert.Single(await WaitForManifestsAsync("canny/trigger/house/", 1));
        var inferences = (await fixture.RunwareTasksAsync()).Count(t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == "a house seen by the blob trigger");
        Assert.Equal(1, inferences);
        Assert.Equal("completed", (string?)manifests[0]["status"]);
    }

    [Fact]
    public async Task BlobDrop_MaskTriggeredAfterTheImage_WakesTheWaitingJob()
    {
        await Inputs.CreateIfNotExistsAsync();
        await Inputs.GetBlobClient("fill/trigger/door.json").UploadAsync(BinaryData.FromString("""{"prompt":"a green door"}"""), overwrite: true);
        var image = Inputs.GetBlobClient("fill/trigger/door.jpg");
        await image.UploadAsync(BinaryData.FromBytes(TestFiles.Jpeg(TestImages.PhotoLike(512, 384, 8))), overwrite: true);
        await Triggers.BlobDrop(image, image.Name, Client, CancellationToken.None);

        var mask = Inputs.GetBlobClient("fill/trigger/door.mask.png");
        await mask.UploadAsync(BinaryData.FromBytes(TestFiles.Png(TestImages.Mask(512, 384, new SkiaSharp.SKRectI(100, 100, 200, 200)))), overwrite: true);
        var outcome = await Triggers.HandleAsync(mask, mask.Name, Client, CancellationToken.None);

        Assert.Equal(DropOutcome.CompanionNotified, outcome);
        var manifest = Assert.Single(await WaitForManifestsAsync("fill/trigger/door/", 1));
        Assert.Equal("fill/trigger/door.mask.png", (string?)manifest["source"]!["mask"]!["blob"]);
    }

    [Fact]
    public async Task ResolveCompanionsWrapper_ImageWithoutOptions_SaysWhatIsMissing()
    {
        await Inputs.CreateIfNotExistsAsync();
        var activities = new ActivityFunctions(fixture.Services);
        var settings = fixture.Services.GetRequiredService<JobSettingsFactory>().Create();
        var job = new JobRequest
        {
            JobId = JobIds.ForBlob("flux-inputs", "depth/none/x.png", "\"0x1\""),
            Origin = JobOrigin.Blob,
            Image = new BlobRef("flux-inputs", "depth/none/x.png", "\"0x1\""),
            BaseName = "depth/none/x",
            MaskCompanion = "depth/none/x.mask.png",
            OptionsCompanion = "depth/none/x.json",
            CreatedAt = DateTimeOffset.UtcNow,
            Settings = settings,
        };

        var context = new TestFunctionContext(fixture.Services, "PrepareInputs", new Dictionary<string, object?> { ["instanceId"] = job.JobId });
        var waiting = await activities.RunPrepareInputs(new PrepareInputsInput(job, FinalCompanionCheck: false), context, CancellationToken.None);
        var final = await activities.RunPrepareInputs(new PrepareInputsInput(job, FinalCompanionCheck: true), context, CancellationToken.None);

        Assert.Null(waiting.Prepared);
        Assert.Equal(["depth/none/x.json"], waiting.Waiting);
        Assert.Equal("missingCompanion", final.Error?.Code);
        Assert.Equal("depth/none/x.json", final.Error?.Parameter);
        Assert.Equal(Stages.WaitingForCompanions, final.FailedStage);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PrepareInputsWrapper_JobCanceledWhileWaitingForTheActivity_SendsNothingToTheModels(bool canceled)
    {
        await Inputs.CreateIfNotExistsAsync();
        var prompt = $"a harbour canceled={canceled} {Guid.NewGuid():N}";
        var name = $"canny/cancel-{canceled}/boat";
        await Inputs.GetBlobClient(name + ".json").UploadAsync(BinaryData.FromString($$"""{"prompt":"{{prompt}}"}"""), overwrite: true);
        var uploaded = await Inputs.GetBlobClient(name + ".png").UploadAsync(BinaryData.FromBytes(TestFiles.Png(TestImages.PhotoLike(512, 384, 9))), overwrite: true);
        var etag = uploaded.Value.ETag.ToString();
        var job = new JobRequest
        {
            JobId = JobIds.ForBlob("flux-inputs", name + ".png", etag),
            Origin = JobOrigin.Blob,
            Image = new BlobRef("flux-inputs", name + ".png", etag),
            BaseName = name,
            MaskCompanion = name + ".mask.png",
            OptionsCompanion = name + ".json",
            CreatedAt = DateTimeOffset.UtcNow,
            Settings = fixture.Services.GetRequiredService<JobSettingsFactory>().Create(),
        };
        if (canceled)
        {
            // What the orchestration's ClaimCancel does when a DELETE comes while the job is in 'preparing'.
            Assert.True(await fixture.Services.GetRequiredService<JobEndClaim>().TryClaimAsync(job.JobId, JobEnd.Cancel));
        }

        var context = new TestFunctionContext(fixture.Services, "PrepareInputs", new Dictionary<string, object?> { ["instanceId"] = job.JobId });
        var result = await new ActivityFunctions(fixture.Services).RunPrepareInputs(new PrepareInputsInput(job, FinalCompanionCheck: true), context, CancellationToken.None);

        var submitted = (await fixture.RunwareTasksAsync()).Count(t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == prompt);
        Assert.Equal(canceled ? 0 : 1, submitted);
        Assert.Equal(canceled ? "canceled" : null, result.Error?.Code);
        Assert.Equal(canceled, result.Attempts is null);
    }

    private Task<List<JsonNode>> WaitForManifestsAsync(string prefix, int count) =>
        Manifests.WaitAsync(fixture.Azurite.BlobService, prefix, count, Timeout);
}
