using FluxFunctions.Errors;
using FluxFunctions.Runware;
using SkiaSharp;

namespace FluxFunctions.Core.Tests.Runware;

public sealed class RunwareClientDownloadTests
{
    private static readonly byte[] Png = MakePng(64, 48);

    [Fact]
    public async Task DownloadAsync_Image_ReturnsTheBytesWithoutSendingTheKey()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => new StubReply(200) { Bytes = Png, ContentType = "image/png" };

        var bytes = await h.Client.DownloadAsync(new Uri(h.Server.Root, "/emulator/images/img-a.png"), maxBytes: 1_000_000);

        Assert.Equal(Png, bytes);
        using var decoded = SKBitmap.Decode(bytes);
        Assert.Equal(64, decoded.Width);
        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Null(request.Header("Authorization"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DownloadAsync_OverTheCap_ThrowsPayloadTooLargeWithoutRetry(bool chunked)
    {
        await using var h = await RunwareHarness.StartAsync();
        var big = new byte[64 * 1024];
        Png.CopyTo(big, 0);
        h.Server.Handler = _ => new StubReply(200) { Bytes = big, ContentType = "image/png", Chunked = chunked };

        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => h.Client.DownloadAsync(new Uri(h.Server.Root, "/big.png"), maxBytes: 10_000));

        Assert.Equal(ErrorCodes.PayloadTooLarge, ex.First.Code);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task DownloadAsync_ExactlyAtTheCap_Succeeds()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => new StubReply(200) { Bytes = Png, ContentType = "image/png", Chunked = true };

        Assert.Equal(Png.Length, (await h.Client.DownloadAsync(new Uri(h.Server.Root, "/a.png"), maxBytes: Png.Length)).Length);
    }

    [Fact]
    public async Task DownloadAsync_NotAnImage_ThrowsNotAnImage()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => new StubReply(200, "<html>login</html>") { ContentType = "text/html" };

        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => h.Client.DownloadAsync(new Uri(h.Server.Root, "/a.png"), 1_000_000));

        Assert.Equal(ErrorCodes.NotAnImage, ex.First.Code);
    }

    [Fact]
    public async Task DownloadAsync_ServiceUnavailableThenImage_Retries()
    {
        await using var h = await RunwareHarness.StartAsync();
        var calls = 0;
        h.Server.Handler = _ => Interlocked.Increment(ref calls) == 1
            ? new StubReply(503, "busy") { ContentType = "text/plain" }
            : new StubReply(200) { Bytes = Png, ContentType = "image/png" };

        Assert.Equal(Png, await h.Client.DownloadAsync(new Uri(h.Server.Root, "/a.png"), 1_000_000));
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Fact]
    public async Task DownloadAsync_NotFound_ThrowsDownloadFailedWithoutRetry()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => new StubReply(404, "missing") { ContentType = "text/plain" };

        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => h.Client.DownloadAsync(new Uri(h.Server.Root, "/a.png"), 1_000_000));

        Assert.Equal(ErrorCodes.DownloadFailed, ex.First.Code);
        Assert.Single(h.Server.Requests);
    }

    private static byte[] MakePng(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.CornflowerBlue);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
