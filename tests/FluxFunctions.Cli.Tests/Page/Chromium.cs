using Microsoft.Playwright;

namespace FluxFunctions.Cli.Tests.Page;

/// <summary>
/// Debian's headless Chromium driven by Playwright for .NET. The browser is the system's (<c>/usr/bin/chromium</c>,
/// installed by scripts/install-test-deps.sh, or <c>FLUX_CHROMIUM</c>); Playwright never downloads one. A missing
/// browser fails the test: it is a broken test machine, not a reason to skip.
/// </summary>
internal static class Chromium
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("FLUX_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"Chromium is not installed at {ExecutablePath}: run scripts/install-test-deps.sh (apt-get install chromium), or set FLUX_CHROMIUM.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 60_000,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
