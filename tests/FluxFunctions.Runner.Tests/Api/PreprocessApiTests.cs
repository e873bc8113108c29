using FluxFunctions.Testing;
using FluxFunctions.Testing.Api;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary><c>POST /api/preprocess/{canny|depth}</c> on the runner.</summary>
[Collection(ApiCollection.Name)]
public sealed class PreprocessApiTests(ApiRunnerFixture runner)
{
    [Fact]
    public async Task Canny_Local_ReturnsAnEdgeMapWithoutCallingRunware()
    {
        using var client = runner.CreateClient();
        var before = (await runner.RunwareTasksAsync()).Count(t => (string?)t["taskType"] == "controlNetPreprocess");

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/preprocess/canny", ApiCase.Json($$"""{"image":"{{ApiImages.DataUri(ApiImages.Png(640, 480))}}","lowThreshold":50,"highThreshold":150}"""));

        Assert.Equal(200, answer.Status);
        Assert.Equal("image/png", answer.ContentType);
        using var edges = SKBitmap.Decode(answer.Body);
        Assert.NotNull(edges);
        Assert.InRange(edges.Width / (double)edges.Height, 1.25, 1.42); // 4:3 in multiples of 64
        var bright = 0;
        for (var y = 0; y < edges.Height; y++)
        {
            for (var x = 0; x < edges.Width; x++)
            {
                bright += edges.GetPixel(x, y).Red > 128 ? 1 : 0;
            }
        }

        // The rectangle's outline: some edge pixels, far fewer than all of them.
        Assert.InRange(bright, edges.Width, edges.Width * edges.Height / 10);
        Assert.Equal(before, (await runner.RunwareTasksAsync()).Count(t => (string?)t["taskType"] == "controlNetPreprocess"));
    }

    [Fact]
    public async Task Depth_MultipartImage_ReturnsRunwaresGuide()
    {
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/preprocess/depth", ApiCase.Multipart([("image", ApiImages.Png(512, 384), "room.png")], []));

        Assert.Equal(200, answer.Status);
        Assert.Equal("image/png", answer.ContentType);
        using var guide = SKBitmap.Decode(answer.Body);
        Assert.NotNull(guide);
        Assert.Contains(await runner.RunwareTasksAsync(), t => (string?)t["taskType"] == "controlNetPreprocess" && (string?)t["preProcessorType"] == "depth");
    }
}
