using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Images;

/// <summary>Deterministic images: the same request and seed give the same bytes; Fill drifts outside the mask.</summary>
public sealed class RenderingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const int Size = 256;
    private static readonly SKRectI Hole = new(64, 64, 192, 160);
    private static readonly string Photo = TestImages.DataUri(TestImages.Gradient(Size, Size));
    private static readonly string MaskUri = TestImages.DataUri(TestImages.Mask(Size, Size, Hole));

    private TestEmulator Emulator => fixture.Emulator;

    public static TheoryData<string> Tools => ["fill", "canny", "depth", "redux", "text"];

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task ImageInference_SameRequestAndSeedWithFreshTaskUuids_GivesIdenticalBytes(string tool)
    {
        var first = await Emulator.RenderAsync(Build(tool, seed: 1234));
        var second = await Emulator.RenderAsync(Build(tool, seed: 1234));
        var otherSeed = await Emulator.RenderAsync(Build(tool, seed: 1235));

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public async Task ImageInference_FillOutsideMask_IsTheSeedImageShiftedByFillDrift()
    {
        using var original = TestImages.Decode(TestImages.Gradient(Size, Size));

        using var result = TestImages.Decode(await Emulator.RenderAsync(Build("fill", seed: 7)));

        for (var y = 0; y < Size; y += 7)
        {
            for (var x = 0; x < Size; x += 7)
            {
                if (Hole.Contains(x, y))
                {
                    continue;
                }

                var o = original.GetPixel(x, y);
                var r = result.GetPixel(x, y);
                Assert.Equal((o.Red + 6, o.Green + 6, o.Blue + 6), (r.Red, r.Green, r.Blue));
            }
        }
    }

    [Fact]
    public async Task ImageInference_FillInsideMask_IsTheSeedPatternWhateverTheSeedImage()
    {
        var other = FillTask(TestImages.DataUri(TestImages.Solid(Size, Size, new SKColor(30, 160, 90))), MaskUri);
        other["seed"] = 99;
        var task = Build("fill", seed: 99);

        using var onGradient = TestImages.Decode(await Emulator.RenderAsync(task));
        using var onSolid = TestImages.Decode(await Emulator.RenderAsync(other));
        using var original = TestImages.Decode(TestImages.Gradient(Size, Size));

        var differsFromOriginal = 0;
        for (var y = Hole.Top; y < Hole.Bottom; y += 3)
        {
            for (var x = Hole.Left; x < Hole.Right; x += 3)
            {
                Assert.Equal(onGradient.GetPixel(x, y), onSolid.GetPixel(x, y));
                var o = original.GetPixel(x, y);
                var p = onGradient.GetPixel(x, y);
                differsFromOriginal += Math.Abs(o.Red - p.Red) + Math.Abs(o.Green - p.Green) + Math.Abs(o.Blue - p.Blue) > 24 ? 1 : 0;
            }
        }

        Assert.True(differsFromOriginal > 500, $"the masked area should be regenerated, only {differsFromOriginal} samples differ");
        Assert.NotEqual(onGradient.GetPixel(10, 10), onSolid.GetPixel(10, 10));
    }

    [Fact]
    public async Task ImageInference_WithoutSeed_ReportsASeedThatReproducesTheImage()
    {
        var task = Build("text", seed: null);
        var answer = await Emulator.PostAsync(task);
        answer.AssertOk();
        var seed = (long)answer.SingleData()["seed"]!;
        var bytes = (await Emulator.GetImageAsync((string)answer.SingleData()["imageURL"]!)).Bytes;

        var again = await Emulator.RenderAsync(Build("text", seed: seed));

        Assert.Equal(bytes, again);
    }

    [Fact]
    public async Task ImageInference_NumberResults_GivesOneImagePerSeedFromSeedUpwards()
    {
        var task = Build("redux", seed: 500);
        task["numberResults"] = 3;

        var answer = await Emulator.PostAsync(task);

        answer.AssertOk();
        Assert.Equal([500L, 501L, 502L], answer.Data.Select(d => (long)d!["seed"]!));
        Assert.Equal(3, answer.Data.Select(d => (string)d!["imageUUID"]!).Distinct().Count());
        var single = Build("redux", seed: 501);
        Assert.Equal(await Emulator.RenderAsync(single), (await Emulator.GetImageAsync((string)answer.Data[1]!["imageURL"]!)).Bytes);
    }

    [Theory]
    [InlineData("URL", "PNG", "image/png")]
    [InlineData("base64Data", "JPG", "image/jpeg")]
    [InlineData("dataURI", "WEBP", "image/webp")]
    public async Task ImageInference_OutputTypeAndFormat_ReturnTheImageThatWay(string outputType, string outputFormat, string mime)
    {
        var task = Build("canny", seed: 3);
        task["outputType"] = outputType;
        task["outputFormat"] = outputFormat;

        var answer = await Emulator.PostAsync(task);

        answer.AssertOk();
        var entry = answer.SingleData();
        byte[] bytes;
        switch (outputType)
        {
            case "URL":
                var (downloaded, contentType) = await Emulator.GetImageAsync((string)entry["imageURL"]!);
                Assert.Equal(mime, contentType);
                bytes = downloaded;
                break;
            case "base64Data":
                Assert.Null(entry["imageURL"]);
                bytes = Convert.FromBase64String((string)entry["imageBase64Data"]!);
                break;
            default:
                var uri = (string)entry["imageDataURI"]!;
                Assert.StartsWith($"data:{mime};base64,", uri, StringComparison.Ordinal);
                bytes = Convert.FromBase64String(uri[(uri.IndexOf(',', StringComparison.Ordinal) + 1)..]);
                break;
        }

        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.Equal(mime, "image/" + codec.EncodedFormat.ToString().ToLowerInvariant());
        Assert.Equal(Size, codec.Info.Width);
    }

    [Fact]
    public async Task ImageEndpoint_WrongExtensionOrUnknownImage_Is404()
    {
        var answer = await Emulator.PostAsync(Build("text", seed: 1));
        var url = (string)answer.SingleData()["imageURL"]!;

        using var wrongExtension = await Emulator.Http.GetAsync(new Uri(url.Replace(".png", ".jpg", StringComparison.Ordinal)));
        using var unknown = await Emulator.Http.GetAsync(new Uri($"emulator/images/{Guid.NewGuid()}.png", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, wrongExtension.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ImageInference_SeedImageFromSasLikeUrl_IsDownloadedWithItsQuery()
    {
        var png = TestImages.Gradient(Size, Size);
        await using var blobHost = new LoopbackServer((request, _) => request.Url!.AbsolutePath == "/flux-inputs/photo.png"
            ? (200, png, "image/png")
            : (404, [], "text/plain"));
        var sasUrl = blobHost.BaseUrl + "flux-inputs/photo.png?sv=2024-05-04&se=2030-01-01&sr=b&sp=r&sig=SECRETSIG";
        var viaUrl = Build("depth", seed: 11);
        viaUrl["seedImage"] = sasUrl;
        var inline = Build("depth", seed: 11);
        inline["seedImage"] = TestImages.DataUri(png);

        var bytes = await Emulator.RenderAsync(viaUrl);

        Assert.Equal(await Emulator.RenderAsync(inline), bytes);
        Assert.Contains(blobHost.Received, r => r.PathAndQuery.EndsWith("sig=SECRETSIG", StringComparison.Ordinal) && r.Method == "GET");
    }

    [Fact]
    public async Task ImageInference_UrlThatFails_IsInvalidSeedImageWithoutTheSasToken()
    {
        await using var blobHost = new LoopbackServer((_, _) => (403, [], "text/plain"));
        var task = Build("canny", seed: 1);
        task["seedImage"] = blobHost.BaseUrl + "flux-inputs/photo.png?sig=SECRETSIG";

        var answer = await Emulator.PostAsync(task);

        var error = answer.AssertRejected("invalidSeedImage", "seedImage");
        Assert.Contains("403", (string)error["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETSIG", answer.Body.ToJsonString(), StringComparison.Ordinal);
    }

    private static JsonObject Build(string tool, long? seed)
    {
        var task = tool switch
        {
            "fill" => FillTask(Photo, MaskUri),
            "canny" => GuideTask(Canny, Photo),
            "depth" => GuideTask(Depth, Photo),
            "redux" => ReduxTask(Photo),
            _ => Inference(Dev),
        };
        if (seed is { } s)
        {
            task["seed"] = s;
        }

        return task;
    }
}
