using FluxFunctions.Testing;

namespace FluxFunctions.Cli.Tests.Cli;

/// <summary><c>flux status</c> and <c>flux cancel</c>: human and JSON output, downloads, exit codes.</summary>
[Collection(CliCollection.Name)]
public sealed class StatusAndCancelTests(CliRunnerFixture fixture)
{
    private readonly CliDriver cli = new(fixture);

    [Fact]
    public async Task StatusWait_CompletedJob_DownloadsAndPrintsEveryField()
    {
        using var folder = new TestFolder();
        var id = await SubmitAsync(folder.Photo("followed.png"));

        var waited = await cli.RunAsync("status", id, "--wait", "-o", folder.PathOf("out"), "--json");
        Assert.True(waited.ExitCode == ExitCodes.Ok, waited.ToString());
        var file = waited.Json().GetProperty("outputs")[0].GetProperty("file").GetString()!;
        Assert.Equal(Path.Combine(folder.PathOf("out"), $"{id}.redux.0.png"), file);
        using (var image = TestImages.DecodeRaw(await File.ReadAllBytesAsync(file)))
        {
            Assert.True(image.Width > 0);
        }

        var shown = await cli.RunAsync("status", id);
        Assert.Equal(ExitCodes.Ok, shown.ExitCode);
        Assert.Contains($"job      {id}", shown.Out, StringComparison.Ordinal);
        Assert.Contains("status   completed", shown.Out, StringComparison.Ordinal);
        Assert.Contains($"/api/edits/{id}/outputs/0", shown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_RunningJob_CancelsThenRefusesASecondTime()
    {
        using var folder = new TestFolder();
        var id = await SubmitAsync(folder.Photo("unwanted.png"));

        var canceled = await cli.RunAsync("cancel", id, "--json");
        Assert.True(canceled.ExitCode == ExitCodes.Ok, canceled.ToString());
        Assert.Equal("canceled", canceled.Json().GetProperty("status").GetString());

        var waited = await cli.RunAsync("status", id, "--wait");
        Assert.Equal(ExitCodes.JobFailed, waited.ExitCode);
        Assert.Contains($"job {id} canceled", waited.Error, StringComparison.Ordinal);

        var again = await cli.RunAsync("cancel", id);
        Assert.Equal(ExitCodes.Conflict, again.ExitCode);
        Assert.Contains("already finished", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("cancel")]
    public async Task Command_UnknownJob_ExitsFive(string command)
    {
        var result = await cli.RunAsync(command, "a" + new string('0', 31), "--json");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal("notFound", result.Json().GetProperty("error").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Status_WrongKey_ExitsThree()
    {
        var result = await cli.RunAsync("status", "a" + new string('0', 31), "--key", "not-the-right-key-at-all");

        Assert.Equal(ExitCodes.Connection, result.ExitCode);
        Assert.Contains("refused the key", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-right-key-at-all", result.Error + result.Out, StringComparison.Ordinal);
    }

    private async Task<string> SubmitAsync(string photo)
    {
        var submitted = await cli.RunAsync("edit", "redux", photo, "--no-wait", "--json");
        Assert.True(submitted.ExitCode == ExitCodes.Ok, submitted.ToString());
        return submitted.Json().GetProperty("id").GetString()!;
    }
}
