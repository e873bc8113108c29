using System.Text;
using System.Text.Json;
using FluxFunctions.Core.Storage;
using FluxFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary><c>GetBatch</c> through the Functions trigger on the runner's storage: counts from the listings, 400s for bad paths.</summary>
[Collection(TriggerCollection.Name)]
public sealed class BatchTriggerTests(TriggerFixture fixture)
{
    [Fact]
    public async Task GetBatch_FolderWithOnlyAnEarlierUploadsRecord_CountsNothingAndReportsTheOtherRecord()
    {
        var folder = "batch-" + Guid.NewGuid().ToString("N")[..8];
        var storage = fixture.Services.GetRequiredService<FluxStorage>();
        var jobId = JobIds.ForBlob(storage.Options.InputContainer, $"canny/{folder}/gone.jpg", "0x1");
        await storage.Failed.GetBlobClient($"canny/{folder}/gone/{jobId}.json").UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes("""{"error":{"code":"x","message":"y"}}""")));

        var answer = await new TriggerInvoker(fixture).SendAsync("GET", $"/api/batches/canny/{folder}");

        Assert.Equal(200, answer.Status);
        var status = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal($"canny/{folder}/", status.GetProperty("prefix").GetString());
        Assert.Equal(0, status.GetProperty("total").GetInt32());
        Assert.True(status.GetProperty("done").GetBoolean());
        Assert.Equal(1, status.GetProperty("otherRecords").GetInt32());
    }

    [Theory]
    [InlineData("/api/batches/sketch/shop", "tool")]
    [InlineData("/api/batches/canny/a/../b", "path")]
    public async Task GetBatch_BadToolOrPath_Is400NamingTheField(string path, string parameter)
    {
        var answer = await new TriggerInvoker(fixture).SendAsync("GET", path);

        ApiAnswerAssert.IsProblem(answer, 400);
        var error = Assert.Single(JsonDocument.Parse(answer.Body).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(parameter, error.GetProperty("parameter").GetString());
    }
}
