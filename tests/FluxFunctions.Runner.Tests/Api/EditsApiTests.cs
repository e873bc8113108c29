using System.Text.Json;
using Azure.Storage.Blobs.Models;
using FluxFunctions.Core.Storage;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Api;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary>The edit routes end to end on the runner: real HTTP, real durable engine, Azurite, Runware faked in-process.</summary>
[Collection(ApiCollection.Name)]
public sealed class EditsApiTests(ApiRunnerFixture runner)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PostEdits_MultipartFill_CompletesAndOutputDownloadsAsImage()
    {
        using var client = runner.CreateClient();
        var body = ApiCase.Multipart(
            [("image", ApiImages.Png(800, 600), "garden photo.png"), ("mask", ApiImages.Mask(400, 300), "garden.mask.png")],
            [("options", """{"tool":"fill","prompt":"a wooden bench under a tree","outputFormat":"PNG"}""")]);

        var accepted = await RunnerHttp.SendAsync(client, "POST", "/api/edits", body);

        Assert.Equal(202, accepted.Status);
        var json = RunnerHttp.Json(accepted);
        var id = json.GetProperty("id").GetString()!;
        Assert.True(JobIds.IsWellFormed(id));
        Assert.Equal($"/api/edits/{id}", json.GetProperty("statusUrl").GetString());
        Assert.Equal($"/api/edits/{id}", accepted.Location);

        var status = await RunnerHttp.WaitForStatusAsync(client, id, JobTimeout, "completed", "failed", "canceled");
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal("fill", status.GetProperty("tool").GetString());
        Assert.Equal("completed", status.GetProperty("stage").GetString());
        var output = Assert.Single(status.GetProperty("outputs").EnumerateArray());
        Assert.Equal(0, output.GetProperty("index").GetInt32());
        Assert.Equal("PNG", output.GetProperty("format").GetString());

        var image = await RunnerHttp.SendAsync(client, "GET", output.GetProperty("url").GetString()!);
        Assert.Equal(200, image.Status);
        Assert.Equal("image/png", image.ContentType);
        using var decoded = SKBitmap.Decode(image.Body);
        Assert.NotNull(decoded);
        Assert.Equal(output.GetProperty("width").GetInt32(), decoded.Width);
        Assert.Equal(output.GetProperty("height").GetInt32(), decoded.Height);

        // The job ran through the same pipeline as a blob drop: its inputs sit in the work container, its outputs and
        // manifest under {tool}/api/{name}/{jobId}/.
        var work = runner.Azurite.BlobService.GetBlobContainerClient("flux-work");
        Assert.True(await work.GetBlobClient($"jobs/{id}/input.png").ExistsAsync());
        Assert.True(await work.GetBlobClient($"jobs/{id}/input.mask.png").ExistsAsync());
        var outputs = runner.Azurite.BlobService.GetBlobContainerClient("flux-outputs");
        Assert.True(await outputs.GetBlobClient($"fill/api/garden-photo/{id}/manifest.json").ExistsAsync());
        Assert.Contains(await runner.RunwareTasksAsync(), t => (string?)t["taskType"] == "imageInference" && (string?)t["model"] == "runware:102@1" && (string?)t["positivePrompt"] == "a wooden bench under a tree");
    }

    [Fact]
    public async Task PostEdits_JsonWithWait_ReturnsTheFinishedStatus()
    {
        using var client = runner.CreateClient();
        var photo = ApiImages.DataUri(ApiImages.Jpeg(640, 480), "image/jpeg");

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits?wait=60", ApiCase.Json($$"""{"tool":"redux","image":"{{photo}}","numberResults":2,"seed":42}"""));

        Assert.Equal(200, answer.Status);
        var status = RunnerHttp.Json(answer);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal("redux", status.GetProperty("tool").GetString());
        Assert.Equal(2, status.GetProperty("outputs").GetArrayLength());
        Assert.StartsWith("/api/edits/", answer.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEdits_BlobReferenceInWorkContainer_CompletesAndLeavesTheBlobUntouched()
    {
        var work = runner.Azurite.BlobService.GetBlobContainerClient("flux-work");
        await work.CreateIfNotExistsAsync();
        var blob = work.GetBlobClient("uploads/street.png");
        await blob.UploadAsync(BinaryData.FromBytes(ApiImages.Png(512, 512)), overwrite: true);
        var etag = (await blob.GetPropertiesAsync()).Value.ETag;
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits?wait=60", ApiCase.Json("""{"tool":"canny","prompt":"a street at night, neon signs","image":"blob:flux-work/uploads/street.png","preprocess":{"mode":"none"}}"""));

        Assert.Equal(200, answer.Status);
        Assert.Equal("completed", RunnerHttp.Json(answer).GetProperty("status").GetString());
        Assert.Equal(etag, (await blob.GetPropertiesAsync()).Value.ETag);
    }

    [Fact]
    public async Task PostEdits_JobFailingAtRunware_StatusIsFailedWithRunwaresMessage()
    {
        using var client = runner.CreateClient();
        var photo = ApiImages.DataUri(ApiImages.Png(256, 256));

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits?wait=60", ApiCase.Json($$"""{"tool":"canny","prompt":"a castle, emulator:fail","image":"{{photo}}"}"""));

        Assert.Equal(200, answer.Status);
        var status = RunnerHttp.Json(answer);
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("inferring", status.GetProperty("stage").GetString());
        Assert.Contains("emulator:fail", status.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, status.GetProperty("outputs").GetArrayLength());

        var output = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{status.GetProperty("id").GetString()}/outputs/0");
        Assert.Equal(404, output.Status);
    }

    [Fact]
    public async Task DeleteEdit_RunningJob_CancelsItAndNoManifestIsWritten()
    {
        using var client = runner.CreateClient();
        var photo = ApiImages.DataUri(ApiImages.Png(256, 256));
        var accepted = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json($$"""{"tool":"redux","prompt":"slowly, emulator:slow=600000","image":"{{photo}}"}"""));
        Assert.Equal(202, accepted.Status);
        var id = RunnerHttp.Json(accepted).GetProperty("id").GetString()!;
        await WaitForStageAsync(client, id, "inferring");

        var canceled = await RunnerHttp.SendAsync(client, "DELETE", $"/api/edits/{id}");

        Assert.Equal(200, canceled.Status);
        var status = RunnerHttp.Json(canceled);
        Assert.Equal("canceled", status.GetProperty("status").GetString());
        Assert.Equal("canceled", status.GetProperty("error").GetProperty("code").GetString());
        var again = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{id}");
        Assert.Equal("canceled", RunnerHttp.Json(again).GetProperty("status").GetString());

        var outputs = runner.Azurite.BlobService.GetBlobContainerClient("flux-outputs");
        var written = new List<string>();
        if (await outputs.ExistsAsync())
        {
            await foreach (var item in outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = "redux/api/" }))
            {
                if (item.Name.Contains(id, StringComparison.Ordinal))
                {
                    written.Add(item.Name);
                }
            }
        }

        Assert.Empty(written);
        var secondDelete = await RunnerHttp.SendAsync(client, "DELETE", $"/api/edits/{id}");
        Assert.Equal(409, secondDelete.Status);
        ApiAnswerAssert.IsProblem(secondDelete, 409);
    }

    [Fact]
    public async Task DeleteEdit_WhileTheActivityWatchesTheInference_NothingIsStoredWhenTheResultComesAfterwards()
    {
        using var client = runner.CreateClient();
        var photo = ApiImages.DataUri(ApiImages.Png(256, 256));
        var accepted = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json($$"""{"tool":"redux","prompt":"emulator:slow=2000","image":"{{photo}}"}"""));
        var id = RunnerHttp.Json(accepted).GetProperty("id").GetString()!;
        await WaitForStageAsync(client, id, "inferring");

        var canceled = await RunnerHttp.SendAsync(client, "DELETE", $"/api/edits/{id}");
        Assert.Equal(200, canceled.Status);

        // The preparing activity watches on and sees the result about two seconds in; the cancel claimed the job first.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var outputs = runner.Azurite.BlobService.GetBlobContainerClient("flux-outputs");
        var written = new List<string>();
        await foreach (var item in outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = "redux/api/" }))
        {
            if (item.Name.Contains(id, StringComparison.Ordinal))
            {
                written.Add(item.Name);
            }
        }

        Assert.Empty(written);
        var claim = await runner.Azurite.BlobService.GetBlobContainerClient("flux-work").GetBlobClient($"jobs/{id}/end").DownloadContentAsync();
        Assert.Equal("Cancel", claim.Value.Content.ToString());
        Assert.Equal("canceled", RunnerHttp.Json(await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task DeleteEdit_FinishedJob_Is409()
    {
        using var client = runner.CreateClient();
        var photo = ApiImages.DataUri(ApiImages.Png(256, 256));
        var done = await RunnerHttp.SendAsync(client, "POST", "/api/edits?wait=60", ApiCase.Json($$"""{"tool":"redux","image":"{{photo}}"}"""));
        var id = RunnerHttp.Json(done).GetProperty("id").GetString()!;

        var answer = await RunnerHttp.SendAsync(client, "DELETE", $"/api/edits/{id}");

        Assert.Equal(409, answer.Status);
        ApiAnswerAssert.IsProblem(answer, 409);
        var output = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{id}/outputs/1");
        Assert.Equal(404, output.Status);
    }

    [Fact]
    public async Task GetEdit_BlobDropJob_IsVisibleThroughTheApi()
    {
        var inputs = runner.Azurite.BlobService.GetBlobContainerClient("flux-inputs");
        await inputs.CreateIfNotExistsAsync();
        await inputs.GetBlobClient("depth/drops/room.json").UploadAsync(BinaryData.FromString("""{"prompt":"a cosy reading room","preprocess":{"mode":"none"}}"""), overwrite: true);
        var uploaded = await inputs.GetBlobClient("depth/drops/room.png").UploadAsync(BinaryData.FromBytes(ApiImages.Png(640, 480)), overwrite: true);
        var id = JobIds.ForBlob("flux-inputs", "depth/drops/room.png", uploaded.Value.ETag.ToString());
        using var client = runner.CreateClient();

        var status = await RunnerHttp.WaitForStatusAsync(client, id, JobTimeout, "completed", "failed");

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal("depth", status.GetProperty("tool").GetString());
        var image = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{id}/outputs/0");
        Assert.Equal(200, image.Status);
        Assert.Equal("image/png", image.ContentType);
    }

    private static async Task WaitForStageAsync(HttpClient client, string id, string stage)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var answer = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{id}");
            if (answer.Status == 200 && RunnerHttp.Json(answer).TryGetProperty("stage", out var s) && s.GetString() == stage)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {id} never reached stage {stage}.");
    }
}
