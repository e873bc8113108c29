using System.Collections.Concurrent;
using System.Net;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Errors;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Tests.UrlSafety;

/// <summary>The SSRF-safe downloader against a real loopback server.</summary>
public sealed class SafeHttpFetcherTests : IAsyncLifetime
{
    private static readonly byte[] Photo = ApiImages.Png(64, 48);
    private readonly ConcurrentQueue<string> requests = new();
    private LoopbackServer server = null!;

    public async Task InitializeAsync()
    {
        server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                requests.Enqueue(context.Request.Path.Value ?? "");
                await next(context);
            });
            app.MapGet("/photo.png", () => Results.Bytes(Photo, "image/png"));
            app.MapGet("/octet", () => Results.Bytes(Photo, "application/octet-stream"));
            app.MapGet("/page.html", () => Results.Content("<html>hello</html>", "text/html"));
            app.MapGet("/big", () => Results.Bytes(new byte[2 * 1024 * 1024], "image/png"));
            app.MapGet("/big-chunked", async (HttpContext context) =>
            {
                context.Response.ContentType = "image/png";
                var chunk = new byte[64 * 1024];
                for (var i = 0; i < 32; i++)
                {
                    await context.Response.Body.WriteAsync(chunk);
                    await context.Response.Body.FlushAsync();
                }
            });
            app.MapGet("/redirect", () => Results.Redirect("/photo.png"));
            app.MapGet("/loop", () => Results.Redirect("/loop"));
            app.MapGet("/to-private", () => Results.Redirect("http://10.0.0.5/photo.png"));
            app.MapGet("/to-metadata", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
            app.MapGet("/to-ipv6-loopback", (HttpContext c) => Results.Redirect($"http://[::1]:{c.Connection.LocalPort}/photo.png"));
            app.MapGet("/to-file", () => Results.Redirect("file:///etc/passwd"));
            app.MapGet("/slow", async (CancellationToken ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return Results.Bytes(Photo, "image/png");
            });
        });
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task FetchImageAsync_ImageUrl_ReturnsTheBytes()
    {
        var fetched = await Fetcher(new NetworkUrlPolicy(true)).FetchImageAsync(server.Url("photo.png"), "image", 1024 * 1024);

        Assert.Equal(Photo, fetched.Data);
        Assert.Equal("image/png", fetched.ContentType);
    }

    [Fact]
    public async Task FetchImageAsync_OctetStream_IsAccepted()
    {
        var fetched = await Fetcher(new NetworkUrlPolicy(true)).FetchImageAsync(server.Url("octet"), "image", 1024 * 1024);

        Assert.Equal(Photo, fetched.Data);
    }

    [Fact]
    public async Task FetchImageAsync_Redirect_IsFollowed()
    {
        var fetched = await Fetcher(new NetworkUrlPolicy(true)).FetchImageAsync(server.Url("redirect"), "image", 1024 * 1024);

        Assert.Equal(Photo, fetched.Data);
        Assert.EndsWith("/photo.png", fetched.FinalUrl.AbsolutePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("page.html", ErrorCodes.NotAnImage)]
    [InlineData("missing.png", ErrorCodes.DownloadFailed)]
    [InlineData("big", ErrorCodes.PayloadTooLarge)]
    [InlineData("big-chunked", ErrorCodes.PayloadTooLarge)]
    [InlineData("loop", ErrorCodes.DownloadFailed)]
    public async Task FetchImageAsync_BadAnswer_IsSpecificErrorNamingTheField(string path, string code)
    {
        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => Fetcher(new NetworkUrlPolicy(true)).FetchImageAsync(server.Url(path), "mask", 1024 * 1024));

        Assert.Equal(code, ex.First.Code);
        Assert.Equal("mask", ex.First.Parameter);
    }

    [Fact]
    public async Task FetchImageAsync_RedirectLoop_StopsAfterFiveRedirects()
    {
        await Assert.ThrowsAsync<PermanentFluxException>(() => Fetcher(new NetworkUrlPolicy(true)).FetchImageAsync(server.Url("loop"), "image", 1024));

        Assert.Equal(SafeHttpFetcher.MaxRedirects + 1, requests.Count(r => r == "/loop"));
    }

    [Theory]
    [InlineData("to-private")]
    [InlineData("to-metadata")]
    [InlineData("to-ipv6-loopback")]
    [InlineData("to-file")]
    public async Task FetchImageAsync_RedirectFromAllowedUrlToPrivateAddress_IsUnsafeUrl(string path)
    {
        // Test hook: the loopback test server counts as "public"; every other address is judged as in production.
        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => Fetcher(new LoopbackServerIsPublic()).FetchImageAsync(server.Url(path), "image", 1024 * 1024));

        Assert.Equal(ErrorCodes.UnsafeUrl, ex.First.Code);
        Assert.Equal("image", ex.First.Parameter);
        Assert.Equal(["/" + path], requests.ToArray());
    }

    [Fact]
    public async Task FetchImageAsync_ProductionPolicy_RefusesLoopbackWithoutConnecting()
    {
        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => Fetcher(new NetworkUrlPolicy(false)).FetchImageAsync(server.Url("photo.png"), "image", 1024 * 1024));

        Assert.Equal(ErrorCodes.UnsafeUrl, ex.First.Code);
        Assert.Empty(requests);
    }

    [Fact]
    public async Task FetchImageAsync_ConnectsToTheVettedAddress_NotToAFreshDnsAnswer()
    {
        // "images.test" exists only in the guard's resolver: the connection can only succeed by using the vetted address.
        var resolved = 0;
        var guard = new UrlGuard(new NetworkUrlPolicy(true), (host, _) =>
        {
            Interlocked.Increment(ref resolved);
            return Task.FromResult(host == "images.test" ? new[] { IPAddress.Loopback } : Array.Empty<IPAddress>());
        });
        var fetcher = new SafeHttpFetcher(new GuardedHttpClient(guard), Options(30), NullLogger<SafeHttpFetcher>.Instance);

        var fetched = await fetcher.FetchImageAsync(new Uri($"http://images.test:{server.Port}/redirect"), "image", 1024 * 1024);

        Assert.Equal(Photo, fetched.Data);
        Assert.Equal(2, resolved); // once per hop: the redirect is vetted again
    }

    [Fact]
    public async Task FetchImageAsync_ServerTooSlow_IsDownloadFailedAfterTheTimeLimit()
    {
        var fetcher = new SafeHttpFetcher(new GuardedHttpClient(new UrlGuard(new NetworkUrlPolicy(true))), Options(1), NullLogger<SafeHttpFetcher>.Instance);

        var ex = await Assert.ThrowsAsync<PermanentFluxException>(() => fetcher.FetchImageAsync(server.Url("slow"), "image", 1024 * 1024));

        Assert.Equal(ErrorCodes.DownloadFailed, ex.First.Code);
        Assert.Contains("within 1 s", ex.First.Message, StringComparison.Ordinal);
    }

    private static SafeHttpFetcher Fetcher(IUrlPolicy policy) =>
        new(new GuardedHttpClient(new UrlGuard(policy)), Options(30), NullLogger<SafeHttpFetcher>.Instance);

    private static IOptions<FluxOptions> Options(int timeoutSeconds) =>
        Microsoft.Extensions.Options.Options.Create(new FluxOptions { UrlFetchTimeoutSeconds = timeoutSeconds });

    /// <summary>Production rules, except that 127.0.0.1 (the test server) counts as public and http is allowed.</summary>
    private sealed class LoopbackServerIsPublic : IUrlPolicy
    {
        private readonly NetworkUrlPolicy production = new(false);

        public bool AllowsScheme(string scheme) => scheme is "http" or "https";

        public bool AllowsAddress(IPAddress address) => address.Equals(IPAddress.Loopback) || production.AllowsAddress(address);
    }
}
