using System.Text.Json;
using FluxFunctions.Api;
using FluxFunctions.Runner.Tests.Api;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// <c>GET /api/batches/{tool}/{path}</c> on the runner, Azurite and the emulator: a folder of drops where one image
/// completes (and is then uploaded again), one fails at once on a broken options file and one fails after the companion
/// wait; the counts, codes, stages and newest failures come from the blob listings.
/// </summary>
public sealed class BatchStatusTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task BatchStatus_FolderOfDrops_CountsCompletedFailedByCodeAndInProgressByStage()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__CompanionWaitSeconds"] = "6" });
        using var client = p.ApiClient();

        // A canny image without options waits for them: in progress, at the companion stage.
        await p.DropAsync("canny/shop/lonely.jpg", SampleJobs.Photo(320, 240, 1));
        var waiting = await PollAsync(client, "/api/batches/canny/shop/", s =>
            s.GetProperty("inProgressByStage").TryGetProperty("waiting-for-companions", out var n) && n.GetInt32() == 1);
        Assert.Equal("canny/shop/", waiting.GetProperty("prefix").GetString());
        Assert.Equal(1, waiting.GetProperty("total").GetInt32());
        Assert.Equal(1, waiting.GetProperty("inProgress").GetInt32());
        Assert.False(waiting.GetProperty("done").GetBoolean());

        await p.DropAsync("canny/shop/good.json", SampleJobs.Options("a watercolour shop"));
        await p.DropAsync("canny/shop/good.jpg", SampleJobs.Photo(320, 240, 2));
        await p.DropAsync("canny/shop/broken.json", """{"prompt":"a shop","steps":"many"}""");
        await p.DropAsync("canny/shop/broken.jpg", SampleJobs.Photo(320, 240, 3));
        await p.DropAsync("canny/elsewhere/other.json", SampleJobs.Options("elsewhere"));
        await p.DropAsync("canny/elsewhere/other.jpg", SampleJobs.Photo(320, 240, 4));
        await p.WaitForOutcomesAsync(4, Timeout);

        // A new upload of a finished image is a new job; the image counts once, by its current upload.
        await p.DropAsync("canny/shop/good.jpg", SampleJobs.Photo(320, 240, 5));
        var (_, failures) = await p.WaitForOutcomesAsync(5, Timeout);
        var brokenCode = (string)failures.Single(f => f.Name.StartsWith("canny/shop/broken/", StringComparison.Ordinal)).Json["error"]!["code"]!;

        var answer = await RunnerHttp.SendAsync(client, "GET", "/api/batches/canny/shop");
        Assert.Equal(200, answer.Status);
        var status = RunnerHttp.Json(answer);
        Assert.Equal("canny/shop/", status.GetProperty("prefix").GetString());
        Assert.Equal(3, status.GetProperty("total").GetInt32());
        Assert.Equal(1, status.GetProperty("completed").GetInt32());
        Assert.Equal(2, status.GetProperty("failed").GetInt32());
        Assert.Equal(0, status.GetProperty("inProgress").GetInt32());
        Assert.Equal(0, status.GetProperty("canceled").GetInt32());
        Assert.True(status.GetProperty("done").GetBoolean());
        Assert.Equal(1, status.GetProperty("otherRecords").GetInt32());
        var byCode = status.GetProperty("failedByCode").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["missingCompanion"] = 1, [brokenCode] = 1 }, byCode);
        Assert.Empty(status.GetProperty("inProgressByStage").EnumerateObject());

        var recent = status.GetProperty("recentFailures").EnumerateArray().ToList();
        Assert.Equal(["canny/shop/broken.jpg", "canny/shop/lonely.jpg"], recent.Select(f => f.GetProperty("blob").GetString()).Order(StringComparer.Ordinal));
        var broken = recent.Single(f => f.GetProperty("blob").GetString() == "canny/shop/broken.jpg");
        Assert.Equal(brokenCode, broken.GetProperty("code").GetString());
        Assert.Contains("steps", broken.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("canny/shop/broken/b", broken.GetProperty("record").GetString(), StringComparison.Ordinal);
        var lonely = recent.Single(f => f.GetProperty("blob").GetString() == "canny/shop/lonely.jpg");
        Assert.Equal("waiting-for-companions", lonely.GetProperty("stage").GetString());
        var metadata = (await p.Failed.GetBlobClient(broken.GetProperty("record").GetString()).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal(brokenCode, metadata["errorcode"]);
        Assert.Equal(broken.GetProperty("stage").GetString(), metadata["stage"]);
        var times = recent.Select(f => f.GetProperty("failedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);

        // The whole tool folder: the other folder's image too.
        var tool = RunnerHttp.Json(await RunnerHttp.SendAsync(client, "GET", "/api/batches/canny"));
        Assert.Equal("canny/", tool.GetProperty("prefix").GetString());
        Assert.Equal(4, tool.GetProperty("total").GetInt32());
        Assert.Equal(2, tool.GetProperty("completed").GetInt32());
    }

    [Theory]
    [InlineData("/api/batches/nope/shop", "tool", "unknownTool")]
    [InlineData("/api/batches/Canny/shop", "tool", "unknownTool")]
    [InlineData("/api/batches/canny/a%5Cb", "path", "invalidBlobName")]
    public async Task BatchStatus_BadToolOrPath_Answers400NamingTheField(string path, string parameter, string code)
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();
        using var client = p.ApiClient();

        var answer = await RunnerHttp.SendAsync(client, "GET", path);

        Assert.Equal(400, answer.Status);
        Assert.Equal(ApiProblems.ContentType, answer.ContentType);
        var error = Assert.Single(RunnerHttp.Json(answer).GetProperty("errors").EnumerateArray());
        Assert.Equal(parameter, error.GetProperty("parameter").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("canny", null, "canny/")]
    [InlineData("canny", "", "canny/")]
    [InlineData("canny", "products", "canny/products/")]
    [InlineData("fill", "a/b/", "fill/a/b/")]
    public void Prefix_ToolAndFolder_IsTheFolderWithATrailingSlash(string tool, string? path, string prefix) =>
        Assert.Equal(prefix, BatchStatusApi.Prefix(tool, path));

    [Theory]
    [InlineData("canny", "a/../b", "path")]
    [InlineData("canny", "..", "path")]
    [InlineData("canny", "a//b", "path")]
    [InlineData("canny", "./a", "path")]
    [InlineData("unknown", "a", "tool")]
    [InlineData("", "a", "tool")]
    public void Prefix_Traversal_EmptySegmentOrUnknownTool_IsRefusedNamingTheField(string tool, string path, string parameter)
    {
        var ex = Assert.Throws<Errors.PermanentFluxException>(() => BatchStatusApi.Prefix(tool, path));
        Assert.Equal(parameter, Assert.Single(ex.Errors).Parameter);
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var answer = await RunnerHttp.SendAsync(client, "GET", path);
            Assert.Equal(200, answer.Status);
            last = RunnerHttp.Json(answer);
            if (until(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{path} did not reach the expected state; last: {last}");
    }
}
