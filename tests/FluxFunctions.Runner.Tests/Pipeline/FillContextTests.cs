using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// Fill crop-to-context and colour match through the whole pipeline: the runner, the durable engine on Azurite and the
/// Runware emulator over HTTP (its recorded requests and stored images show what Runware was sent).
/// </summary>
public sealed class FillContextTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Width = 2048;
    private const int Height = 1536;
    private const int Feather = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly SKRectI SmallMask = new(1200, 700, 1360, 820);
    private static readonly Lazy<byte[]> PhotoJpeg = new(() =>
    {
        using var photo = TestImages.PhotoLike(Width, Height, 41);
        return TestFiles.Jpeg(photo, 90);
    });

    [Fact]
    public async Task PostEditsWithWait_LargePhotoSmallMask_RunwareGetsACropAndTheAnswerIsThePhotoWithOnlyTheMaskRegenerated()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();
        using var client = new HttpClient { BaseAddress = p.RunnerAddress, Timeout = Timeout };
        client.DefaultRequestHeaders.Add("x-functions-key", p.ApiKey);
        using var form = new MultipartFormDataContent
        {
            { File(PhotoJpeg.Value, "image/jpeg"), "image", "street.jpg" },
            { File(MaskPng(SmallMask), "image/png"), "mask", "street.mask.png" },
            { new StringContent("""{"tool":"fill","prompt":"a red vintage bicycle leaning on the wall","seed":7,"outputFormat":"PNG"}"""), "options" },
        };

        using var answer = await client.PostAsync(new Uri("/api/edits?wait=60", UriKind.Relative), form);

        // 200 with the finished job; on a slow machine 202 after the longest wait, then the status route.
        Assert.Contains((int)answer.StatusCode, new[] { 200, 202 });
        var status = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        status = await FinishedAsync(client, status);
        Assert.Equal("completed", (string?)status["status"]);
        var output = status["outputs"]!.AsArray().Single()!;
        Assert.Equal((Width, Height), ((int)output["width"]!, (int)output["height"]!));

        // Runware was asked to fill a crop around the mask, enlarged to a valid size — not the whole photo squeezed to 1 MP.
        var inference = Assert.Single(await p.RecordedTasksAsync(), t => (string?)t.Task["taskType"] == "imageInference").Task;
        Assert.Equal("runware:102@1", (string?)inference["model"]);
        int sentWidth = (int)inference["width"]!, sentHeight = (int)inference["height"]!;
        Assert.True(sentWidth % 64 == 0 && sentHeight % 64 == 0 && sentWidth <= 2048 && sentHeight <= 2048, $"{sentWidth}×{sentHeight}");
        var manifest = Assert.Single(await p.ManifestsAsync()).Json;
        var crop = manifest["context"]!["crops"]!.AsArray().Single()!;
        var box = Rect(crop["box"]!);
        Assert.True((bool)manifest["context"]!["cropped"]!);
        Assert.True(box.Contains(SmallMask) && box.Width * box.Height < Width * Height / 10, $"{box}");
        Assert.True(sentWidth > box.Width * 2 && sentHeight > box.Height * 2, $"sent {sentWidth}×{sentHeight} for a {box.Width}×{box.Height} crop");
        Assert.Equal((string?)inference["taskUUID"], (string?)crop["taskUUID"]);
        Assert.Equal((string?)inference["taskUUID"], (string?)manifest["runware"]!["inferenceTaskUUID"]);
        Assert.Single(manifest["runware"]!["tasks"]!.AsArray());
        Assert.True((bool)manifest["colorMatch"]!["ran"]!);

        using var photo = TestImages.DecodeRaw(PhotoJpeg.Value);
        using (var seed = await EmulatorImageAsync(p, (string)inference["seedImage"]!, "jpg"))
        {
            Assert.Equal((sentWidth, sentHeight), (seed.Width, seed.Height));
            var difference = MeanDifference(photo, box, seed);
            TestFigures.Report(
                "crop-to-context through the API (2048x1536 JPEG, 160x120 mask)",
                string.Create(CultureInfo.InvariantCulture, $"Runware got a {box.Width}x{box.Height} crop at {sentWidth}x{sentHeight}; the sent seed differs from that part of the photo by {difference:0.00} levels on average"));
            Assert.True(difference < 8, $"The seed sent is not the crop of the photo: mean difference {difference}.");
        }

        using var result = TestImages.DecodeRaw(await client.GetByteArrayAsync(new Uri((string)output["url"]!, UriKind.Relative)));
        var (outside, equal) = CompareBeyond(photo, result, Feather, SmallMask);
        TestFigures.ReportPercent("crop-to-context through the API: pixels beyond the feathered mask equal to the photo (PNG output)", equal / (double)outside, detail: $"{equal} of {outside}");
        Assert.Equal(outside, equal);
        Assert.True(MeanDifference(photo, new SKRectI(SmallMask.Left + 10, SmallMask.Top + 10, SmallMask.Right - 10, SmallMask.Bottom - 10), result) > 10);
    }

    [Fact]
    public async Task Drop_TwoFarApartMaskedRegions_TwoRunwareTasksStitchedIntoOneResult()
    {
        var left = new SKRectI(150, 200, 310, 320);
        var right = new SKRectI(1650, 1200, 1810, 1320);
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/two/yard.mask.png", MaskPng(left, right));
        await p.DropAsync("fill/two/yard.json", """{"prompt":"two garden gnomes","seed":11}""");
        await p.DropAsync("fill/two/yard.jpg", PhotoJpeg.Value);
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        var manifest = Assert.Single(manifests).Json;
        var inferences = (await p.RecordedTasksAsync()).Where(t => (string?)t.Task["taskType"] == "imageInference").ToList();
        Assert.Equal(2, inferences.Count);
        Assert.All(inferences, i => Assert.Equal(200, i.Status));
        var tasks = manifest["runware"]!["tasks"]!.AsArray();
        Assert.Equal(inferences.Select(i => (string?)i.Task["taskUUID"]).Order(), tasks.Select(t => (string?)t!["taskUUID"]).Order());
        Assert.NotEqual((string?)inferences[0].Task["seedImage"], (string?)inferences[1].Task["seedImage"]);
        var crops = manifest["context"]!["crops"]!.AsArray().Select(c => Rect(c!["box"]!)).ToList();
        Assert.Equal(2, crops.Count);
        Assert.True(crops[0].Contains(left) && crops[1].Contains(right), string.Join(", ", crops));
        Assert.True((double?)manifest["runware"]!["cost"] > 0);

        var image = manifest["images"]!.AsArray().Single()!;
        Assert.Equal((Width, Height), ((int)image["width"]!, (int)image["height"]!));
        using var photo = TestImages.DecodeRaw(PhotoJpeg.Value);
        using var result = await OutputAsync(p, image);
        var (outside, equal) = CompareBeyond(photo, result, Feather, left, right);
        Assert.Equal(outside, equal);
        Assert.True(MeanDifference(photo, new SKRectI(left.Left + 10, left.Top + 10, left.Right - 10, left.Bottom - 10), result) > 10);
        Assert.True(MeanDifference(photo, new SKRectI(right.Left + 10, right.Top + 10, right.Right - 10, right.Bottom - 10), result) > 10);
    }

    [Fact]
    public async Task Drop_ContextOff_RunwareGetsTheWholePhoto()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();

        await p.DropAsync("fill/off/room.mask.png", MaskPng(SmallMask));
        await p.DropAsync("fill/off/room.json", """{"prompt":"a potted plant","context":{"mode":"off"}}""");
        await p.DropAsync("fill/off/room.jpg", PhotoJpeg.Value);
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        var manifest = Assert.Single(manifests).Json;
        Assert.False((bool)manifest["context"]!["cropped"]!);
        var inference = Assert.Single(await p.RecordedTasksAsync(), t => (string?)t.Task["taskType"] == "imageInference").Task;
        Assert.Equal((1216, 896), ((int)inference["width"]!, (int)inference["height"]!));
        using var photo = TestImages.DecodeRaw(PhotoJpeg.Value);
        using var seed = await EmulatorImageAsync(p, (string)inference["seedImage"]!, "jpg");
        Assert.True(MeanDifference(photo, new SKRectI(0, 0, Width, Height), seed) < 8);
    }

    [Fact]
    public async Task Drop_EmulatorDriftsColours_ColorMatchLowersTheSeamDifference()
    {
        // The emulator returns the context shifted by FillDrift levels per channel, like a VAE round trip.
        await using var p = await PipelineHarness.CreateAsync(azurite, emulator: o => o.FillDrift = 40);
        await p.StartRunnerAsync();
        const int feather = 16;

        await p.DropAsync("fill/plain/wall.mask.png", MaskPng(SmallMask));
        await p.DropAsync("fill/plain/wall.json", $$"""{"prompt":"a window","seed":5,"maskFeather":{{feather}},"colorMatch":false}""");
        await p.DropAsync("fill/plain/wall.jpg", PhotoJpeg.Value);
        await p.DropAsync("fill/matched/wall.mask.png", MaskPng(SmallMask));
        await p.DropAsync("fill/matched/wall.json", $$"""{"prompt":"a window","seed":5,"maskFeather":{{feather}}}""");
        await p.DropAsync("fill/matched/wall.jpg", PhotoJpeg.Value);
        var (manifests, failures) = await p.WaitForOutcomesAsync(2, Timeout);

        Assert.Empty(failures);
        var plainManifest = manifests.Single(m => m.Name.StartsWith("fill/plain/", StringComparison.Ordinal)).Json;
        var matchedManifest = manifests.Single(m => m.Name.StartsWith("fill/matched/", StringComparison.Ordinal)).Json;
        Assert.False((bool)plainManifest["colorMatch"]!["ran"]!);
        Assert.True((bool)matchedManifest["colorMatch"]!["ran"]!);
        var report = matchedManifest["colorMatch"]!["results"]![0]!["crops"]![0]!;
        Assert.True((double)report["y"]!["offset"]! < -20, report.ToJsonString());

        using var photo = TestImages.DecodeRaw(PhotoJpeg.Value);
        using var plain = await OutputAsync(p, plainManifest["images"]![0]!);
        using var matched = await OutputAsync(p, matchedManifest["images"]![0]!);

        // The emulator regenerates where the sent mask is at least half white (the inner half of the feathered edge) with
        // random content; outside that it returns the drifted context, which the outer half of the edge blends in.
        var before = Seams.Difference(photo, plain, SmallMask, feather);
        var after = Seams.Difference(photo, matched, SmallMask, feather);
        var outerBefore = OuterHalf(photo, plain, feather);
        var outerAfter = OuterHalf(photo, matched, feather);
        TestFigures.Report(
            "colour match through the pipeline, emulator FillDrift 40, 16 px feather: mean seam difference (levels)",
            string.Create(CultureInfo.InvariantCulture, $"outer half of the feathered edge (blended context) {outerBefore:0.00} without → {outerAfter:0.00} with; whole edge incl. the emulator's random fill {before.Mean:0.00} → {after.Mean:0.00}; ring difference {(double)report["ringDifferenceBefore"]!:0.00} → {(double)report["ringDifferenceAfter"]!:0.00}"));
        Assert.True(outerAfter < outerBefore / 2, $"{outerBefore} → {outerAfter}");
        Assert.True((double)report["ringDifferenceAfter"]! < (double)report["ringDifferenceBefore"]! / 4);
    }

    private static async Task<JsonNode> FinishedAsync(HttpClient client, JsonNode status)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while ((string?)status["status"] is "pending" or "running" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            status = JsonNode.Parse(await client.GetStringAsync(new Uri($"/api/edits/{(string)status["id"]!}", UriKind.Relative)))!;
        }

        return status;
    }

    /// <summary>The seam difference on the band (feather / 2, feather] px outside the mask.</summary>
    private static double OuterHalf(SKBitmap photo, SKBitmap result, int feather)
    {
        var whole = Seams.Difference(photo, result, SmallMask, feather);
        var inner = Seams.Difference(photo, result, SmallMask, feather / 2);
        return ((whole.Mean * whole.Pixels) - (inner.Mean * inner.Pixels)) / (whole.Pixels - inner.Pixels);
    }

    private static ByteArrayContent File(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static byte[] MaskPng(params SKRectI[] rects)
    {
        using var mask = TestImages.Mask(Width, Height, rects);
        return TestFiles.Png(mask);
    }

    private static SKRectI Rect(JsonNode r) =>
        SKRectI.Create((int)r["x"]!, (int)r["y"]!, (int)r["width"]!, (int)r["height"]!);

    private static async Task<SKBitmap> EmulatorImageAsync(PipelineHarness p, string imageUuid, string extension)
    {
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(new Uri(p.Emulator.BaseAddress, $"emulator/images/{imageUuid}.{extension}"));
        return TestImages.DecodeRaw(bytes);
    }

    private static async Task<SKBitmap> OutputAsync(PipelineHarness p, JsonNode image)
    {
        var blob = ((string)image["blob"]!)[(p.OutputContainer.Length + 1)..];
        var bytes = (await p.Outputs.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray();
        return TestImages.DecodeRaw(bytes);
    }

    /// <summary>Pixels farther than <paramref name="reach"/> from every masked rectangle: how many, and how many are the photo's exactly.</summary>
    private static (long Outside, long Equal) CompareBeyond(SKBitmap photo, SKBitmap result, int reach, params SKRectI[] masked)
    {
        Assert.Equal((photo.Width, photo.Height), (result.Width, result.Height));
        var a = TestImages.PixelsOf(photo);
        var b = TestImages.PixelsOf(result);
        long outside = 0, equal = 0;
        for (var y = 0; y < photo.Height; y++)
        {
            for (var x = 0; x < photo.Width; x++)
            {
                if (masked.Any(r => x >= r.Left - reach && x < r.Right + reach && y >= r.Top - reach && y < r.Bottom + reach))
                {
                    continue;
                }

                outside++;
                var i = (y * photo.Width) + x;
                equal += (a[i] | 0xFF000000u) == (b[i] | 0xFF000000u) ? 1 : 0;
            }
        }

        return (outside, equal);
    }

    /// <summary>Mean |difference| (levels, R, G, B) between <paramref name="area"/> of the photo scaled to <paramref name="other"/>'s size and <paramref name="other"/> (same size: compared in place).</summary>
    private static double MeanDifference(SKBitmap photo, SKRectI area, SKBitmap other)
    {
        if (other.Width == photo.Width && other.Height == photo.Height)
        {
            return Seams.MeanDifferenceInside(photo, other, area);
        }

        using var part = new SKBitmap(new SKImageInfo(area.Width, area.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Assert.True(photo.ExtractSubset(part, area));
        using var copy = part.Copy();
        using var scaled = copy.Resize(new SKImageInfo(other.Width, other.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.Mitchell));
        return Seams.MeanDifferenceInside(scaled, other, new SKRectI(0, 0, other.Width, other.Height));
    }
}
