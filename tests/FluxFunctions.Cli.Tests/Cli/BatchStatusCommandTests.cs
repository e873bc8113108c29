using FluxFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FluxFunctions.Cli.Tests.Cli;

/// <summary><c>flux batch-status</c> against the runner: a watched folder of drops, its counts as text and JSON, and usage errors.</summary>
[Collection(CliCollection.Name)]
public sealed class BatchStatusCommandTests(CliRunnerFixture fixture)
{
    private readonly CliDriver cli = new(fixture);

    [Fact]
    public async Task BatchStatusWatch_FolderWithOneGoodAndOneBrokenDrop_WaitsUntilDoneAndExitsOne()
    {
        using var folder = new TestFolder();
        var name = "cli-batch-" + Guid.NewGuid().ToString("N")[..8];
        var inputs = fixture.Services.GetRequiredService<FluxStorage>().Inputs;
        await inputs.GetBlobClient($"canny/{name}/good.json").UploadAsync(BinaryData.FromString("""{"prompt":"a pencil sketch"}"""));
        await inputs.GetBlobClient($"canny/{name}/good.png").UploadAsync(BinaryData.FromBytes(await File.ReadAllBytesAsync(folder.Photo("good.png"))));
        await inputs.GetBlobClient($"canny/{name}/broken.json").UploadAsync(BinaryData.FromString("""{"prompt":"a pencil sketch","steps":"many"}"""));
        await inputs.GetBlobClient($"canny/{name}/broken.png").UploadAsync(BinaryData.FromBytes(await File.ReadAllBytesAsync(folder.Photo("broken.png", seed: 2))));

        var watched = await cli.RunAsync("batch-status", $"canny/{name}/", "--watch", "--interval", "0.2", "--timeout", "120");

        Assert.True(watched.ExitCode == ExitCodes.JobFailed, watched.ToString());
        Assert.Contains($"batch        canny/{name}/", watched.Out, StringComparison.Ordinal);
        Assert.Contains("images       2", watched.Out, StringComparison.Ordinal);
        Assert.Contains("completed    1", watched.Out, StringComparison.Ordinal);
        Assert.Contains("failed       1  (", watched.Out, StringComparison.Ordinal);
        Assert.Contains("in progress  0", watched.Out, StringComparison.Ordinal);
        Assert.Contains($"canny/{name}/broken.png", watched.Out, StringComparison.Ordinal);

        var json = await cli.RunAsync("batch-status", $"canny/{name}", "--json");
        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        Assert.Equal(2, json.Json().GetProperty("total").GetInt32());
        Assert.True(json.Json().GetProperty("done").GetBoolean());
    }

    [Theory]
    [InlineData("canny/../x", ExitCodes.Usage)]
    [InlineData("/", ExitCodes.Usage)]
    [InlineData("sketch/x/", ExitCodes.Rejected)]
    public async Task BatchStatus_BadFolder_ExitsWithUsageOrRejected(string folder, int exitCode)
    {
        var result = await cli.RunAsync("batch-status", folder);

        Assert.True(result.ExitCode == exitCode, result.ToString());
    }
}
