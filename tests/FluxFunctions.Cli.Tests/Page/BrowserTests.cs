using FluxFunctions.Core.Storage;
using FluxFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FluxFunctions.Cli.Tests.Page;

/// <summary>
/// The page as a person uses it, in headless Chromium: key, image, a painted mask stroke, submit, the job's stages,
/// the before/after comparison and the download. Screenshots go to <c>.artifacts/page/</c>.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BrowserTests(CliRunnerFixture fixture)
{
    private const int ImageWidth = 640;
    private const int ImageHeight = 426;

    private static string Artifacts => Path.Combine(RepoPaths.Root, ".artifacts", "page");

    [Fact]
    public async Task Page_FillWithPaintedMask_CompletesAndShowsTheResult()
    {
        Directory.CreateDirectory(Artifacts);
        var work = Path.Combine(Path.GetTempPath(), "flux-page-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var photo = Path.Combine(work, "garden.png");
        using (var bitmap = TestImages.PhotoLike(ImageWidth, ImageHeight, seed: 11))
        {
            await File.WriteAllBytesAsync(photo, TestFiles.Png(bitmap));
        }

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("status of 401", StringComparison.Ordinal))
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(fixture.BaseAddress.ToString());
        await page.EvaluateAsync(
            """
            () => {
              window.__seen = [];
              const job = document.getElementById("job");
              new MutationObserver(() => window.__seen.push(job.dataset.status + ":" + document.getElementById("job-stage").textContent))
                .observe(job, { subtree: true, childList: true, attributes: true, characterData: true });
            }
            """);

        // Tool, image, mask stroke, prompt.
        await page.Locator("#tool").SelectOptionAsync("fill");
        await page.Locator("#image").SetInputFilesAsync(photo);
        await page.Locator("#canvas-wrap[data-ready=true]").WaitForAsync();
        Assert.True(await page.Locator("#mask-tools").IsVisibleAsync());
        await page.Locator("#brush-size").FillAsync("60");
        var box = await page.Locator("#mask-canvas").BoundingBoxAsync() ?? throw new InvalidOperationException("The mask canvas is not displayed.");
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.30f), box.Y + (box.Height * 0.45f));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.60f), box.Y + (box.Height * 0.45f), new MouseMoveOptions { Steps = 12 });
        await page.Mouse.UpAsync();
        await page.Locator("#prompt").FillAsync("a stone fountain in the middle of the garden");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "fill-mask.png"), FullPage = true });

        // Without a key the API refuses, and the page says so.
        await page.Locator("#submit").ClickAsync();
        await page.Locator("#problems:not([hidden])").WaitForAsync();
        Assert.Contains("key was refused", await page.Locator("#problems").InnerTextAsync(), StringComparison.Ordinal);

        // With the key (kept for the tab) the job runs to completion.
        await page.Locator("#key").FillAsync(fixture.ApiKey);
        Assert.Equal(fixture.ApiKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('flux.key')"));
        await page.Locator("#submit").ClickAsync();
        await page.Locator("#job[data-status=completed]").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        await page.Locator("#results:not([hidden])").WaitForAsync();
        Assert.True(await page.Locator("#problems").IsHiddenAsync(), await page.Locator("#problems").InnerTextAsync());

        var seen = await page.EvaluateAsync<string[]>("() => window.__seen");
        Assert.Contains(seen, s => s.StartsWith("running:", StringComparison.Ordinal) && s.Length > "running:".Length);
        // Every stage of the list (queued … completed) is ticked off.
        Assert.Equal(6, await page.Locator("#stages li").CountAsync());
        Assert.Equal(6, await page.Locator("#stages li.done").CountAsync());

        // Before/after: both images loaded; the slider cuts the "before" image.
        Assert.True(await page.EvaluateAsync<int>("() => document.getElementById('after').naturalWidth") > 0);
        Assert.True(await page.EvaluateAsync<int>("() => document.getElementById('before').naturalWidth") == ImageWidth);
        await page.Locator("#compare-slider").FillAsync("30");
        Assert.Contains("70%", await page.EvaluateAsync<string>("() => document.getElementById('before').style.clipPath"), StringComparison.Ordinal);
        await page.Locator("#compare-slider").FillAsync("50");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "fill-completed.png"), FullPage = true });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "fill-completed.jpg"), FullPage = true, Type = ScreenshotType.Jpeg, Quality = 80 });

        // The download is the result image.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#outputs a.download").First.ClickAsync());
        Assert.Equal("garden.fill.0.png", download.SuggestedFilename);
        var saved = Path.Combine(work, download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        using (var result = TestImages.DecodeRaw(await File.ReadAllBytesAsync(saved)))
        {
            Assert.True(result.Width >= 128);
        }

        // The mask the API received: black, white under the stroke, at the image's size.
        var jobId = (await page.Locator("#job-id").InnerTextAsync()).Trim();
        var storage = fixture.Services.GetRequiredService<FluxStorage>();
        var mask = await storage.Work.GetBlobClient(OutputLayout.Work(jobId, "input.mask.png")).DownloadContentAsync();
        using (var bitmap = TestImages.DecodeRaw(mask.Value.Content.ToArray()))
        {
            Assert.Equal((ImageWidth, ImageHeight), (bitmap.Width, bitmap.Height));
            Assert.True(bitmap.GetPixel(ImageWidth * 45 / 100, ImageHeight * 45 / 100).Red > 200, "white under the stroke");
            Assert.True(bitmap.GetPixel(5, 5).Red < 50, "black away from the stroke");
            Assert.True(bitmap.GetPixel(ImageWidth * 45 / 100, ImageHeight * 90 / 100).Red < 50, "black below the stroke");
        }

        Assert.True(errors.Count == 0, "browser errors: " + string.Join(" | ", errors));
        await context.CloseAsync();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task Page_ToolChoice_ShowsOnlyThatToolsOptions()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(fixture.BaseAddress.ToString());

        await page.Locator("#tool").SelectOptionAsync("canny");
        Assert.True(await page.Locator("#low-threshold").IsVisibleAsync());
        Assert.True(await page.Locator("#outpaint-top").IsHiddenAsync());
        Assert.True(await page.Locator("#base-model").IsHiddenAsync());

        await page.Locator("#tool").SelectOptionAsync("depth");
        Assert.True(await page.Locator("#preprocess-mode").IsVisibleAsync());
        Assert.True(await page.Locator("#low-threshold").IsHiddenAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('#preprocess-mode option[value=local]').disabled"), "depth has no local preprocessing");

        await page.Locator("#tool").SelectOptionAsync("redux");
        Assert.True(await page.Locator("#base-model").IsVisibleAsync());
        Assert.True(await page.Locator("#preprocess-mode").IsHiddenAsync());
    }

    [Fact]
    public async Task Page_BatchView_FollowsAFolderOfDropsUntilDoneAndListsItsFailure()
    {
        using var folder = new Cli.TestFolder();
        var name = "page-batch-" + Guid.NewGuid().ToString("N")[..8];
        var inputs = fixture.Services.GetRequiredService<FluxStorage>().Inputs;
        await inputs.GetBlobClient($"canny/{name}/good.json").UploadAsync(BinaryData.FromString("""{"prompt":"a pencil sketch"}"""));
        await inputs.GetBlobClient($"canny/{name}/good.png").UploadAsync(BinaryData.FromBytes(await File.ReadAllBytesAsync(folder.Photo("good.png"))));
        await inputs.GetBlobClient($"canny/{name}/broken.json").UploadAsync(BinaryData.FromString("""{"prompt":"a pencil sketch","steps":"many"}"""));
        await inputs.GetBlobClient($"canny/{name}/broken.png").UploadAsync(BinaryData.FromBytes(await File.ReadAllBytesAsync(folder.Photo("broken.png", seed: 2))));

        await using var opened = await OpenPageAsync();
        var (page, errors) = (opened.Page, opened.Errors);

        // Without a key the route refuses, and the view says so.
        await page.Locator("#batch-prefix").FillAsync($"canny/{name}/");
        await page.Locator("#batch-show").ClickAsync();
        await page.Locator("#batch.error").WaitForAsync();
        Assert.Contains("key was refused", await page.Locator("#batch-listed").InnerTextAsync(), StringComparison.Ordinal);

        // With the key: followed until nothing is in progress.
        await page.Locator("#key").FillAsync(fixture.ApiKey);
        await page.Locator("#batch-show").ClickAsync();
        await page.Locator("#batch[data-done=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        Assert.Equal("2", await page.Locator("#batch-total").InnerTextAsync());
        Assert.Equal("1", await page.Locator("#batch-completed").InnerTextAsync());
        Assert.Equal("1", await page.Locator("#batch-failed").InnerTextAsync());
        Assert.Equal("0", await page.Locator("#batch-in-progress").InnerTextAsync());
        Assert.Equal("invalidType: 1", (await page.Locator("#batch-codes li").InnerTextAsync()).Trim());
        var failure = await page.Locator("#batch-failures li").InnerTextAsync();
        Assert.Contains($"canny/{name}/broken.png", failure, StringComparison.Ordinal);
        Assert.Contains("steps", failure, StringComparison.Ordinal);
        Assert.Equal(2.0, await page.EvaluateAsync<double>("() => document.getElementById('batch-bar').value"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "batch.png"), FullPage = true });
        Assert.True(errors.Count == 0, "browser errors: " + string.Join(" | ", errors));
    }

    [Fact]
    public async Task Page_SafetyKeepAndMark_SendsRunwaresCheckAndMarksTheFlaggedResult()
    {
        using var folder = new Cli.TestFolder();
        var photo = folder.Photo("barn.png", 320, 240, seed: 6);
        await using var flagging = await fixture.FlagEveryResultAsync();
        await using var opened = await OpenPageAsync();
        var (page, errors) = (opened.Page, opened.Errors);
        await page.Locator("#key").FillAsync(fixture.ApiKey);

        await page.Locator("#tool").SelectOptionAsync("canny");
        await page.Locator("#image").SetInputFilesAsync(photo);
        await page.Locator("#prompt").FillAsync("a barn checked for safety on the page");
        await page.Locator("details summary").First.ClickAsync();
        await page.Locator("#safety-check").SelectOptionAsync("outputs");
        await page.Locator("#safety-on-flagged").SelectOptionAsync("record");
        await page.Locator("#submit").ClickAsync();
        await page.Locator("#job[data-status=completed]").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });

        Assert.Contains("flagged by Runware's safety check", await page.Locator("#outputs li").First.InnerTextAsync(), StringComparison.Ordinal);
        var task = Assert.Single(await fixture.RunwareTasksAsync(), t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == "a barn checked for safety on the page");
        Assert.Equal("""{"checkContent":true}""", task["safety"]?.ToJsonString());
        Assert.True(errors.Count == 0, "browser errors: " + string.Join(" | ", errors));
    }

    /// <summary>The runner's page in a fresh headless browser, with the script errors it reports.</summary>
    private async Task<OpenedPage> OpenPageAsync()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        var opened = new OpenedPage(playwright, browser, await browser.NewPageAsync());
        try
        {
            opened.Page.SetDefaultTimeout(30_000);
            opened.Page.PageError += (_, error) => opened.Errors.Add(error);
            await opened.Page.GotoAsync(fixture.BaseAddress.ToString());
            return opened;
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
    }

    private sealed class OpenedPage(IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
    {
        public IPage Page => page;

        public List<string> Errors { get; } = [];

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
