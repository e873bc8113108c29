using System.Net;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>Limits that keep the emulator's memory bounded: request size, download size.</summary>
public sealed class RequestLimitTests
{
    [Fact]
    public async Task Post_BodyOverMaxRequestBytes_IsRequestTooLarge()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.MaxRequestBytes = 4096);

        var answer = await emulator.PostAsync(Upload(TestImages.DataUri(TestImages.Gradient(256, 256))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Equal("requestTooLarge", (string?)answer.SingleError()["code"]);
    }

    [Fact]
    public async Task ImageInference_UrlImageOverMaxDownloadBytes_IsInvalidSeedImage()
    {
        var png = TestImages.Gradient(256, 256);
        await using var host = new LoopbackServer((_, _) => (200, png, "image/png"));
        await using var emulator = await TestEmulator.StartAsync(o => o.MaxDownloadBytes = 2048);

        var answer = await emulator.PostAsync(GuideTask(Canny, host.BaseUrl + "big.png"));

        var error = answer.AssertRejected("invalidSeedImage", "seedImage");
        Assert.Contains("2048-byte download limit", (string)error["message"]!, StringComparison.Ordinal);
    }
}
