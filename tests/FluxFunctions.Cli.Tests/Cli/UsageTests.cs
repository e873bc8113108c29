using FluxFunctions.Testing;

namespace FluxFunctions.Cli.Tests.Cli;

/// <summary>Usage errors (exit 2), connection errors (exit 3), help, and the real process with redirected output.</summary>
[Collection(CliCollection.Name)]
public sealed class UsageTests(CliRunnerFixture fixture)
{
    private readonly CliDriver cli = new(fixture);

    [Theory]
    [InlineData("edit", "fill")]
    [InlineData("edit", "blur", "x.png")]
    [InlineData("edit", "fill", "x.png", "--steps", "many")]
    [InlineData("edit", "fill", "x.png", "--outpaint", "1,2,3")]
    [InlineData("edit", "canny", "x.png", "--preprocess", "magic")]
    [InlineData("batch", ".", "--tool", "fill", "--concurrency", "0")]
    [InlineData("status")]
    [InlineData("frobnicate")]
    public async Task Parse_BadCommandLine_ExitsTwoWithHint(params string[] args)
    {
        var result = await cli.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--help` for usage", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Edit_MissingImageFile_ExitsTwo()
    {
        var result = await cli.RunAsync("edit", "redux", "/nonexistent/photo.png", "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("usage", result.Json().GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_OptionsFileNamingAnotherTool_ExitsTwo()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("p.png");
        var options = folder.Write("o.json", """{ "tool": "canny" }""");

        var result = await cli.RunAsync("edit", "redux", photo, "--options", options);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("\"tool\": \"canny\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_OptionsFileNotJson_ExitsTwo()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("p.png");
        var options = folder.Write("o.json", "{ prompt: ");

        var result = await cli.RunAsync("edit", "redux", photo, "--options", options);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("not valid JSON", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_UnreachableApi_ExitsThree()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("p.png");

        var result = await cli.RunAsync("edit", "redux", photo, "--url", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.Equal(ExitCodes.Connection, result.ExitCode);
        Assert.Contains("Cannot reach the API", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_UrlThatIsNotTheApi_ExitsThree()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("p.png");

        var result = await cli.RunAsync("edit", "redux", photo, "--url", new Uri(fixture.Emulator.BaseAddress, "elsewhere/").ToString());

        Assert.Equal(ExitCodes.Connection, result.ExitCode);
        Assert.Contains("is --url the FluxFunctions API", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_RedirectedOutput_NoAnsiAndEnvironmentSettings()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("proc.png");
        var environment = new Dictionary<string, string>
        {
            ["FLUX_URL"] = fixture.BaseAddress + "api",
            ["FLUX_KEY"] = fixture.ApiKey,
            ["TERM"] = "xterm-256color",
        };

        var result = await cli.RunProcessAsync(environment, "edit", "redux", photo, "-o", folder.PathOf("out"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.DoesNotContain('\u001b', result.Out + result.Error);
        Assert.StartsWith("completed job ", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.PathOf("out"), "proc.redux.0.png")));
    }

    [Fact]
    public async Task Process_NoUrl_ExitsTwo()
    {
        var result = await cli.RunProcessAsync(new Dictionary<string, string>(), "status", "a" + new string('0', 31));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("FLUX_URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_Help_ListsCommandsAndExitCodes()
    {
        var result = await cli.RunProcessAsync(new Dictionary<string, string>(), "--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        foreach (var text in new[] { "flux [command] [options]", "edit", "batch <dir>", "status <id>", "cancel <id>", "Exit codes:", "130" })
        {
            Assert.Contains(text, result.Out, StringComparison.Ordinal);
        }
    }
}
