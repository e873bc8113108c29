using System.Net;
using System.Text.RegularExpressions;

namespace FluxFunctions.Cli.Tests.Page;

/// <summary>The runner serves the page at <c>/</c> without a key, with a strict CSP, and nothing from other origins.</summary>
[Collection(CliCollection.Name)]
public sealed partial class PageServingTests(CliRunnerFixture fixture)
{
    private static readonly string[] Files = ["/", "/index.html", "/app.js", "/api.js", "/mask.js", "/compare.js", "/batch.js", "/app.css", "/favicon.svg"];

    [Fact]
    public async Task Root_WithoutKey_ServesThePageWithSecurityHeaders()
    {
        using var http = fixture.CreateClient(withKey: false);

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        foreach (var directive in new[] { "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "img-src 'self' blob:" })
        {
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("<script type=\"module\" src=\"app.js\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageFiles_ReferenceNothingOutsideTheRunner()
    {
        using var http = fixture.CreateClient(withKey: false);
        foreach (var file in Files)
        {
            using var response = await http.GetAsync(new Uri(file, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {(int)response.StatusCode}");
            var text = await response.Content.ReadAsStringAsync();

            // The only absolute URL allowed is the SVG namespace; no CDN, no font service, no protocol-relative URL.
            var external = ExternalUrl().Matches(text).Select(m => m.Value).Where(u => !u.StartsWith("http://www.w3.org/2000/svg", StringComparison.Ordinal)).ToList();
            Assert.True(external.Count == 0, $"{file} references {string.Join(", ", external)}");
            Assert.DoesNotContain("<style", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" onclick=", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Api_WithoutKey_StaysProtected()
    {
        using var http = fixture.CreateClient(withKey: false);

        using var edits = await http.GetAsync(new Uri("/api/edits/a" + new string('0', 31), UriKind.Relative));
        using var health = await http.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, edits.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, health.StatusCode);
    }

    [Theory]
    [InlineData("/wwwroot/index.html")]
    [InlineData("/FluxFunctions.Runner.dll")]
    [InlineData("/host.json")]
    [InlineData("/appsettings.json")]
    [InlineData("/../appsettings.json")]
    public async Task Page_OtherPaths_AreNotServed(string path)
    {
        using var http = fixture.CreateClient(withKey: false);

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex(@"(https?:)?//[A-Za-z0-9][^\s""'`)<>]*")]
    private static partial Regex ExternalUrl();
}
