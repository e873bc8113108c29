using System.Text.Json.Nodes;
using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// The erase tool end to end: an image and its <c>{name}.mask.png</c> in the <c>erase/</c> folder, no options file
/// needed; the task a recording stand-in sees follows bfl:flux@erase's rules, and through the emulator the job returns
/// the input's pixels outside the mask and the masked area filled.
/// </summary>
public sealed class EraseJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly SKRectI Hole = new(240, 160, 400, 320);

    [Fact]
    public async Task Drop_Erase_SendsInputsWithImageAndMaskAndNothingTheModelRefuses()
    {
        await using var recorder = await RecordingRunware.StartAsync();
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string>
        {
            ["Runware__BaseUrl"] = recorder.ApiUrl.ToString(),
            ["Runware__ApiKey"] = "recording-key-123",
        });

        await p.DropAsync("erase/r/car.mask.png", SampleJobs.Mask(800, 600));
        await p.DropAsync("erase/r/car.jpg", SampleJobs.Photo(800, 600, 5));

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        Assert.Equal("bfl:flux@erase", (string?)Assert.Single(manifests).Json["runware"]!["model"]);
        var task = Assert.Single(recorder.Tasks("imageInference").DistinctBy(t => (string?)t["taskUUID"]));
        Assert.Equal("bfl:flux@erase", (string?)task["model"]);
        var inputs = Assert.IsType<JsonObject>(task["inputs"]);
        Assert.NotNull((string?)inputs["seedImage"]);
        Assert.NotNull((string?)inputs["maskImage"]);
        Assert.Equal(2, inputs.Count);
        foreach (var refused in new[] { "positivePrompt", "negativePrompt", "width", "height", "steps", "CFGScale", "seed", "seedImage", "maskImage", "strength", "maskMargin" })
        {
            Assert.False(task.ContainsKey(refused), $"the erase task carries '{refused}'");
        }
    }

    [Fact]
    public async Task Drop_Erase_ThroughTheEmulator_KeepsThePixelsOutsideTheMaskAndFillsTheHole()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync();
        using var photo = TestImages.PhotoLike(640, 480, 6);
        var png = TestFiles.Png(photo);

        await p.DropAsync("erase/e/street.mask.png", SampleJobs.Mask(640, 480, Hole));
        await p.DropAsync("erase/e/street.json", """{"maskFeather":0}""");
        await p.DropAsync("erase/e/street.png", png);

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(failures);
        var manifest = Assert.Single(manifests).Json;
        Assert.Equal("erase", (string?)manifest["tool"]);
        Assert.Equal("completed", (string?)manifest["status"]);
        var image = manifest["images"]![0]!;
        var blob = ((string)image["blob"]!)[(p.OutputContainer.Length + 1)..];
        using var result = TestImages.DecodeRaw((await p.Outputs.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray());
        using var original = TestImages.DecodeRaw(png);
        Assert.Equal((640, 480), (result.Width, result.Height));

        // Outside the mask (away from its edge) the input's pixels, bit for bit.
        var changedOutside = 0;
        for (var y = 0; y < 480; y += 3)
        {
            for (var x = 0; x < 640; x += 3)
            {
                var inside = x >= Hole.Left - 4 && x < Hole.Right + 4 && y >= Hole.Top - 4 && y < Hole.Bottom + 4;
                if (!inside && result.GetPixel(x, y) != original.GetPixel(x, y))
                {
                    changedOutside++;
                }
            }
        }

        Assert.Equal(0, changedOutside);

        // Inside, a smooth fill: much less variation than the photo had there.
        Assert.True(Spread(result, Hole) < Spread(original, Hole) / 2, $"inside {Spread(result, Hole):0.0} vs photo {Spread(original, Hole):0.0}");
    }

    /// <summary>The standard deviation of the green channel over the inner half of <paramref name="box"/>.</summary>
    private static double Spread(SKBitmap bitmap, SKRectI box)
    {
        var values = new List<double>();
        for (var y = box.Top + (box.Height / 4); y < box.Bottom - (box.Height / 4); y += 2)
        {
            for (var x = box.Left + (box.Width / 4); x < box.Right - (box.Width / 4); x += 2)
            {
                values.Add(bitmap.GetPixel(x, y).Green);
            }
        }

        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
