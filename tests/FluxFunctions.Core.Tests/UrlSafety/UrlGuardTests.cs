using System.Net;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Errors;

namespace FluxFunctions.Core.Tests.UrlSafety;

public sealed class UrlGuardTests
{
    private static readonly UrlGuard Production = new(new NetworkUrlPolicy(allowPrivateNetwork: false));

    [Theory]
    [InlineData("http://example.com/a.png")]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:secret@example.com/a.png")]
    [InlineData("https://127.0.0.1/a.png")]
    [InlineData("https://10.0.0.8/a.png")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://[::1]/a.png")]
    [InlineData("https://[::ffff:169.254.169.254]/a.png")]
    [InlineData("https://[fd00::1]/a.png")]
    [InlineData("https://0x7f.1/a.png")]
    [InlineData("not a url")]
    public void Check_UnsafeUrl_IsRefusedNamingTheField(string url)
    {
        var error = Production.Check(url, "image", out var parsed);

        Assert.NotNull(error);
        Assert.Equal(ErrorCodes.UnsafeUrl, error.Code);
        Assert.Equal("image", error.Parameter);
        Assert.Null(parsed);
    }

    [Fact]
    public void Check_PublicHttpsUrl_Passes()
    {
        Assert.Null(Production.Check("https://images.example.com/photos/cat.png?size=large", "image", out var url));
        Assert.Equal("images.example.com", url!.Host);
    }

    [Fact]
    public void Check_RefusedUrlWithQuery_MessageOmitsTheQuery()
    {
        var error = Production.Check("https://10.0.0.1/a.png?sig=SECRETTOKEN&se=2030", "mask", out _);

        Assert.DoesNotContain("SECRETTOKEN", error!.Message, StringComparison.Ordinal);
        Assert.Contains("https://10.0.0.1/a.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_LocalhostName_IsRefusedAsLoopback()
    {
        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => Production.ResolveAsync(new Uri("https://localhost/a.png"), "image"));

        Assert.Equal(ErrorCodes.UnsafeUrl, ex.First.Code);
        Assert.Contains("loopback", ex.First.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_NameWithOnePrivateAddressAmongPublicOnes_IsRefused()
    {
        var guard = new UrlGuard(new NetworkUrlPolicy(false), (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.7") }));

        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => guard.ResolveAsync(new Uri("https://mixed.example/a.png"), "image"));

        Assert.Equal(ErrorCodes.UnsafeUrl, ex.First.Code);
        Assert.Contains("10.0.0.7", ex.First.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_UnresolvableName_IsDownloadFailed()
    {
        var guard = new UrlGuard(new NetworkUrlPolicy(false), (_, _) => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));

        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => guard.ResolveAsync(new Uri("https://nowhere.example/a.png"), "image"));

        Assert.Equal(ErrorCodes.DownloadFailed, ex.First.Code);
    }

    [Fact]
    public async Task ResolveAsync_AllowPrivateNetwork_LetsLoopbackThrough()
    {
        var guard = new UrlGuard(new NetworkUrlPolicy(allowPrivateNetwork: true));

        var addresses = await guard.ResolveAsync(new Uri("http://127.0.0.1:8080/a.png"), "image");

        Assert.Equal(IPAddress.Loopback, Assert.Single(addresses));
    }
}
