using FluxFunctions.Testing;

namespace FluxFunctions.Cli.Tests.Cli;

/// <summary><c>flux batch</c>: a folder of images with companions, the live table, the JSON summary, exit codes.</summary>
[Collection(CliCollection.Name)]
public sealed class BatchCommandTests(CliRunnerFixture fixture)
{
    private readonly CliDriver cli = new(fixture);

    [Fact]
    public async Task BatchFill_Interactive_DrawsLiveTableAndDownloadsTheCompletedOnes()
    {
        using var folder = new TestFolder();
        folder.Photo("in/a.png", seed: 1);
        folder.Mask("in/a.mask.png");
        folder.Photo("in/b.jpg", seed: 2);
        folder.Mask("in/b.mask.png");
        folder.Photo("in/c.webp", seed: 3); // no mask: the API rejects this one
        folder.Write("in/notes.txt", "not an image");
        var output = folder.PathOf("out");

        var result = await cli.RunAsync(interactive: true, "batch", folder.PathOf("in"), "--tool", "fill", "--prompt", "a brass door knocker", "--concurrency", "2", "-o", output);

        Assert.True(result.ExitCode == ExitCodes.JobFailed, result.ToString());
        Assert.Contains('\u001b', result.Out);
        foreach (var text in new[] { "flux batch · fill · 3 images · concurrency 2", "File", "Status", "Stage", "a.png", "b.jpg", "c.webp", "running", "done 2", "failed 1" })
        {
            Assert.Contains(text, result.Out, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(output, "a.fill.0.png")));
        Assert.True(File.Exists(Path.Combine(output, "b.fill.0.png")));
        Assert.False(File.Exists(Path.Combine(output, "c.fill.0.png")));
        Assert.Contains("rejected: c.webp", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchCanny_Json_SummarizesEveryJobWithPerImageOptions()
    {
        using var folder = new TestFolder();
        folder.Photo("in/one.png", seed: 4);
        folder.Photo("in/one.jpg", seed: 7);
        folder.Photo("in/two.png", seed: 5);
        var seed = Random.Shared.NextInt64(1, 1L << 40);
        folder.Write("in/two.json", $$"""{ "seed": {{seed}} }""");
        var options = folder.Write("opts.json", """{ "prompt": "an ink drawing", "preprocess": { "lowThreshold": 60 } }""");
        var output = folder.PathOf("out");

        var result = await cli.RunAsync("batch", folder.PathOf("in"), "--tool", "canny", "--options", options, "-o", output, "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.DoesNotContain('\u001b', result.Out + result.Error);
        var json = result.Json();
        Assert.Equal(3, json.GetProperty("total").GetInt32());
        Assert.Equal(3, json.GetProperty("completed").GetInt32());
        Assert.Equal(0, json.GetProperty("failed").GetInt32());
        var jobs = json.GetProperty("jobs").EnumerateArray().ToList();
        Assert.All(jobs, job =>
        {
            Assert.Equal("completed", job.GetProperty("status").GetString());
            Assert.True(File.Exists(job.GetProperty("outputs")[0].GetProperty("file").GetString()));
        });
        var two = jobs.Single(j => j.GetProperty("file").GetString()!.EndsWith("two.png", StringComparison.Ordinal));
        Assert.Equal(seed, two.GetProperty("outputs")[0].GetProperty("seed").GetInt64());
        Assert.True(File.Exists(Path.Combine(output, "two.canny.0.png")));

        // Two images with one stem keep their extension in the result names instead of overwriting each other.
        Assert.True(File.Exists(Path.Combine(output, "one.png.canny.0.png")));
        Assert.True(File.Exists(Path.Combine(output, "one.jpg.canny.0.png")));
    }

    [Fact]
    public async Task Batch_ImageOptionsNamingAnotherTool_ExitsTwoBeforeSubmitting()
    {
        using var folder = new TestFolder();
        folder.Photo("in/x.png");
        folder.Write("in/x.json", """{ "tool": "depth" }""");

        var result = await cli.RunAsync("batch", folder.PathOf("in"), "--tool", "redux", "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("x.json says \"tool\": \"depth\"", result.Error, StringComparison.Ordinal);
        Assert.Equal("usage", result.Json().GetProperty("error").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Batch_Redirected_PrintsOneLinePerJobAndASummary()
    {
        using var folder = new TestFolder();
        folder.Photo("in/x.png", seed: 6);

        var result = await cli.RunAsync("batch", folder.PathOf("in"), "--tool", "redux", "-o", folder.PathOf("out"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("completed", lines[0], StringComparison.Ordinal);
        Assert.Contains("x.redux.0.png", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("1 job: 1 completed, 0 failed", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Out);
    }

    [Fact]
    public async Task Batch_FolderWithoutImages_ExitsTwo()
    {
        using var folder = new TestFolder();
        folder.Mask("only.mask.png");

        var result = await cli.RunAsync("batch", folder.Root, "--tool", "fill");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("holds no image", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_UnreachableApi_ExitsThree()
    {
        using var folder = new TestFolder();
        folder.Photo("in/x.png");

        var result = await cli.RunAsync("batch", folder.PathOf("in"), "--tool", "redux", "--url", $"http://127.0.0.1:{FreePort.Next()}", "--json");

        Assert.Equal(ExitCodes.Connection, result.ExitCode);
        Assert.Equal("unreachable", result.Json().GetProperty("error").GetProperty("kind").GetString());
    }
}
