using System.Text.Json.Nodes;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// The deployment's size limits (<c>Runware__MinDimension</c>, <c>Runware__MaxDimension</c>) are the ones both doors
/// validate against, not the defaults: a size the deployment does not allow is refused naming its field, over HTTP and
/// in a blob drop's options.
/// </summary>
public sealed class ConfiguredSizeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task WidthOverTheConfiguredMaximum_IsRefusedByTheApiAndFailsTheDrop()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Runware__MaxDimension"] = "1024" });

        // HTTP: 1536 is within the default 128–2048, not within this deployment's 128–1024.
        using var client = new HttpClient { BaseAddress = p.RunnerAddress };
        client.DefaultRequestHeaders.Add("x-functions-key", p.ApiKey);
        var image = "data:image/jpeg;base64," + Convert.ToBase64String(SampleJobs.Photo(320, 240, 5));
        var body = new JsonObject { ["tool"] = "canny", ["prompt"] = "a pencil sketch", ["image"] = image, ["width"] = 1536, ["height"] = 1024 };
        using var answer = await client.PostAsync(new Uri("/api/edits", UriKind.Relative), new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)answer.StatusCode);
        var problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        var error = Assert.Single(problem["errors"]!.AsArray(), e => (string?)e!["parameter"] == "width")!;
        Assert.Equal("outOfRange", (string?)error["code"]);
        Assert.Contains("between 128 and 1024", (string?)error["message"], StringComparison.Ordinal);

        // Blob drop: the same options fail the job with a record naming the field.
        await p.DropAsync("canny/sizes/wide.json", """{"prompt":"a pencil sketch","width":1536,"height":1024}""");
        await p.DropAsync("canny/sizes/wide.jpg", SampleJobs.Photo(320, 240, 6));
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, TimeSpan.FromSeconds(90));

        Assert.Empty(manifests);
        var record = Assert.Single(failures).Json;
        Assert.Equal("width", (string?)record["error"]!["parameter"]);
        Assert.Contains("between 128 and 1024", (string?)record["error"]!["message"], StringComparison.Ordinal);
    }
}
