using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// Per-region prompts for fill through the whole pipeline (runner, durable engine on Azurite, the Runware emulator over
/// HTTP): a colour-coded mask with three regions and three prompts becomes three tasks with those prompts and one image
/// whose pixels outside the three masks are the input's, bit for bit — by blob drop and by the HTTP API, which share the
/// options parser.
/// </summary>
public sealed class RegionPromptJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Width = 1600;
    private const int Height = 1200;
    private const int Feather = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly string[] Prompts = ["a red rose bush", "a green garden bench", "a blue pond with lilies"];

    private static readonly (SKRectI Rect, SKColor Color)[] Three =
    [
        (new SKRectI(120, 100, 280, 220), new SKColor(255, 0, 0)),
        (new SKRectI(1200, 160, 1380, 300), new SKColor(0, 255, 0)),
        (new SKRectI(680, 860, 880, 1010), new SKColor(0, 0, 255)),
    ];

    private static readonly string RegionsJson =
        $$"""[{"color":"#ff0000","prompt":"{{Prompts[0]}}"},{"color":"#00ff00","prompt":"{{Prompts[1]}}"},{"color":"#0000ff","prompt":"{{Prompts[2]}}"}]""";

    private static readonly Lazy<byte[]> PhotoPng = new(() =>
    {
        using var photo = TestImages.PhotoLike(Width, Height, 57);
        return TestFiles.Png(photo);
    });

    private static readonly Lazy<byte[]> MaskPng = new(() =>
    {
        using var mask = TestImages.ColorMask(Width, Height, Three);
        return TestFiles.Png(mask);
    });

    [Fact]
    public async Task Drop_ThreeRegionsThreePrompts_ThreeTasksWithThosePromptsAndOneImageExactOutsideTheMasks()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/regions/garden.mask.png", MaskPng.Value);
        await p.DropAsync("fill/regions/garden.json", $$"""{"prompt":"a sunny garden","seed":3,"regions":{{RegionsJson}}}""");
        await p.DropAsync("fill/regions/garden.png", PhotoPng.Value);
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        var manifest = Assert.Single(manifests).Json;
        await AssertThreeTasksWithTheirPromptsAsync(p, manifest);
        using var result = await OutputAsync(p, manifest["images"]!.AsArray().Single()!);
        AssertExactOutsideTheRegions(result);
    }

    [Fact]
    public async Task PostEdits_ThreeRegionsThreePrompts_ThreeTasksWithThosePromptsAndOneImageExactOutsideTheMasks()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();
        using var client = new HttpClient { BaseAddress = p.RunnerAddress, Timeout = Timeout };
        client.DefaultRequestHeaders.Add("x-functions-key", p.ApiKey);
        using var form = new MultipartFormDataContent
        {
            { File(PhotoPng.Value), "image", "garden.png" },
            { File(MaskPng.Value), "mask", "garden.mask.png" },
            { new StringContent($$"""{"tool":"fill","seed":3,"outputFormat":"PNG","regions":{{RegionsJson}}}"""), "options" },
        };

        using var answer = await client.PostAsync(new Uri("/api/edits?wait=60", UriKind.Relative), form);

        Assert.Contains((int)answer.StatusCode, new[] { 200, 202 });
        var status = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        var deadline = DateTime.UtcNow + Timeout;
        while ((string?)status["status"] is "pending" or "running" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            status = JsonNode.Parse(await client.GetStringAsync(new Uri($"/api/edits/{(string)status["id"]!}", UriKind.Relative)))!;
        }

        Assert.Equal("completed", (string?)status["status"]);
        var output = status["outputs"]!.AsArray().Single()!;
        var manifest = Assert.Single(await p.ManifestsAsync()).Json;
        await AssertThreeTasksWithTheirPromptsAsync(p, manifest);
        using var result = TestImages.DecodeRaw(await client.GetByteArrayAsync(new Uri((string)output["url"]!, UriKind.Relative)));
        AssertExactOutsideTheRegions(result);
    }

    [Fact]
    public async Task Drop_ARegionPaintedNowhere_FailsAsAnEmptyRegionNamingIt()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/empty/garden.mask.png", MaskPng.Value);
        await p.DropAsync("fill/empty/garden.json", """{"prompt":"a sunny garden","regions":[{"color":"#ff0000"},{"color":"#ffff00","prompt":"a sunflower"}]}""");
        await p.DropAsync("fill/empty/garden.png", PhotoPng.Value);
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(manifests);
        var failure = Assert.Single(failures).Json.ToJsonString();
        Assert.Contains("emptyMask", failure, StringComparison.Ordinal);
        Assert.Contains("regions[1] (#ffff00) is painted on no pixel of the mask", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(await p.RecordedTasksAsync(), t => (string?)t.Task["taskType"] == "imageInference");
    }

    [Fact]
    public async Task Drop_FiveRegions_FailsSayingAtMostFour()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/many/garden.mask.png", MaskPng.Value);
        await p.DropAsync("fill/many/garden.json", """{"prompt":"a garden","regions":[{"color":"#ff0000"},{"color":"#00ff00"},{"color":"#0000ff"},{"color":"#ffff00"},{"color":"#ffffff"}]}""");
        await p.DropAsync("fill/many/garden.png", PhotoPng.Value);
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(manifests);
        Assert.Contains("has 5 regions; at most 4", Assert.Single(failures).Json.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task AssertThreeTasksWithTheirPromptsAsync(PipelineHarness p, JsonNode manifest)
    {
        var inferences = (await p.RecordedTasksAsync()).Where(t => (string?)t.Task["taskType"] == "imageInference").Select(t => t.Task).ToList();
        Assert.Equal(3, inferences.Count);
        Assert.Equal(Prompts.Order(), inferences.Select(i => (string)i["positivePrompt"]!).Order());

        // The manifest records each region's prompt, and each crop the region (and prompt) its task was sent.
        var regions = manifest["regions"]!.AsArray();
        Assert.Equal(Prompts, regions.Select(r => (string)r!["prompt"]!));
        Assert.Equal(["#ff0000", "#00ff00", "#0000ff"], regions.Select(r => (string)r!["color"]!));
        var crops = manifest["context"]!["crops"]!.AsArray();
        Assert.Equal(3, crops.Count);
        for (var i = 0; i < 3; i++)
        {
            var crop = crops[i]!;
            Assert.Equal(i, (int)crop["region"]!["index"]!);
            var task = Assert.Single(inferences, t => (string?)t["taskUUID"] == (string?)crop["taskUUID"]);
            Assert.Equal(Prompts[i], (string?)task["positivePrompt"]);
            var box = crop["box"]!;
            var rect = Three[i].Rect;
            Assert.True((int)box["x"]! <= rect.Left && (int)box["y"]! <= rect.Top && (int)box["x"]! + (int)box["width"]! >= rect.Right && (int)box["y"]! + (int)box["height"]! >= rect.Bottom, box.ToJsonString());
        }
    }

    /// <summary>Every pixel farther than the feather from the three painted rectangles is the photo's, bit for bit; inside each the image changed.</summary>
    private static void AssertExactOutsideTheRegions(SKBitmap result)
    {
        using var photo = TestImages.DecodeRaw(PhotoPng.Value);
        Assert.Equal((Width, Height), (result.Width, result.Height));
        var a = TestImages.PixelsOf(photo);
        var b = TestImages.PixelsOf(result);
        long outside = 0, equal = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (Three.Any(r => x >= r.Rect.Left - Feather && x < r.Rect.Right + Feather && y >= r.Rect.Top - Feather && y < r.Rect.Bottom + Feather))
                {
                    continue;
                }

                outside++;
                var i = (y * Width) + x;
                equal += a[i] == b[i] ? 1 : 0;
            }
        }

        Assert.Equal(outside, equal);
        foreach (var (rect, _) in Three)
        {
            Assert.True(Seams.MeanDifferenceInside(photo, result, new SKRectI(rect.Left + 10, rect.Top + 10, rect.Right - 10, rect.Bottom - 10)) > 10, $"{rect} did not change");
        }
    }

    private static async Task<SKBitmap> OutputAsync(PipelineHarness p, JsonNode image)
    {
        var blob = ((string)image["blob"]!)[(p.OutputContainer.Length + 1)..];
        var bytes = (await p.Outputs.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray();
        return TestImages.DecodeRaw(bytes);
    }

    private static ByteArrayContent File(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }
}
