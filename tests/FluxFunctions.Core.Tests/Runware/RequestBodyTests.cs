using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Tests.Runware;

/// <summary>What goes over the wire: an image as a data URI, the request body written once as UTF-8, and a capped read that keeps one copy.</summary>
public sealed class RequestBodyTests
{
    [Fact]
    public async Task Body_TaskWithNestedImagesAndNonAsciiText_IsTheTaskInAJsonArray()
    {
        var image = "data:image/png;base64," + Convert.ToBase64String(Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray());
        var task = new JsonObject
        {
            ["taskType"] = "imageInference",
            ["positivePrompt"] = "un vélo rouge « contre » le mur, 自転車",
            ["numberResults"] = 2,
            ["ipAdapters"] = new JsonArray(new JsonObject { ["guideImage"] = image, ["weight"] = 0.75 }),
        };

        using var content = RunwareTransport.Body(task);
        var bytes = await content.ReadAsByteArrayAsync();

        Assert.Equal("application/json; charset=utf-8", content.Headers.ContentType!.ToString());
        Assert.Equal(bytes.Length, content.Headers.ContentLength);
        var sent = Assert.IsType<JsonArray>(JsonNode.Parse(bytes));
        Assert.True(JsonNode.DeepEquals(task, Assert.Single(sent)));
        Assert.Contains(image, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(300_001)]
    public void DataUri_AnyLength_IsThePrefixAndTheBase64(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(251 - (i * 3))).ToArray();

        var uri = ImageTransfer.DataUri("image/jpeg", bytes);

        Assert.Equal("data:image/jpeg;base64," + Convert.ToBase64String(bytes), uri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(100)]
    [InlineData(250_000)]
    [InlineData(200_000)]
    public async Task ReadAsync_AnyDeclaredLength_ReturnsExactlyTheBytes(int? declared)
    {
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 13)).ToArray();

        var read = await CappedStream.ReadAsync(new MemoryStream(data), 1_000_000, CancellationToken.None, declared);

        Assert.Equal(data, read);
    }
}
