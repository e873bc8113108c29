using FluxFunctions.Testing.Api;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary>Reference images over HTTP: fill's <c>reference</c> and kontext's <c>references</c>, checked like the image; and fill-pro's rules.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReferenceApiTests(ApiRunnerFixture runner)
{
    private static readonly string Photo = ApiImages.DataUri(ApiImages.Png(320, 240));
    private static readonly string Mask = ApiImages.DataUri(ApiImages.Mask(320, 240));
    private static readonly string Reference = ApiImages.DataUri(ApiImages.Png(200, 200, new SKColor(20, 220, 30)));

    [Fact]
    public async Task PostEdits_FillWithAReference_CompletesAsAcePlusPlus()
    {
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits?wait=60", ApiCase.Json($$"""{"tool":"fill","prompt":"a green card on the table","image":"{{Photo}}","mask":"{{Mask}}","reference":"{{Reference}}"}"""));

        Assert.Equal(200, answer.Status);
        Assert.Equal("completed", RunnerHttp.Json(answer).GetProperty("status").GetString());
        Assert.Contains(await runner.RunwareTasksAsync(), t => (string?)t["taskType"] == "imageInference" && t["acePlusPlus"] is not null && t["referenceImages"] is not null && !t.ContainsKey("seedImage"));
    }

    [Fact]
    public async Task PostEdits_KontextWithAReference_Completes()
    {
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits?wait=60", ApiCase.Json($$"""{"tool":"kontext","prompt":"put the green card on the table","image":"{{Photo}}","references":["{{Reference}}"]}"""));

        Assert.Equal(200, answer.Status);
        Assert.Equal("completed", RunnerHttp.Json(answer).GetProperty("status").GetString());
        Assert.Contains(await runner.RunwareTasksAsync(), t => (string?)t["taskType"] == "imageInference" && t["inputs"]?["referenceImages"]?.AsArray().Count == 2);
    }

    [Fact]
    public async Task PostEdits_FillProWithImageAndMask_CompletesWithoutASize()
    {
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits?wait=60", ApiCase.Json($$"""{"tool":"fill-pro","prompt":"a red wooden door","image":"{{Photo}}","mask":"{{Mask}}"}"""));

        Assert.Equal(200, answer.Status);
        Assert.Equal("completed", RunnerHttp.Json(answer).GetProperty("status").GetString());
        Assert.Contains(await runner.RunwareTasksAsync(), t => (string?)t["model"] == "bfl:1@2" && t["inputs"] is not null && !t.ContainsKey("width"));
    }

    [Theory]
    [InlineData("""{"tool":"fill","prompt":"a red door","image":"%IMG%","mask":"%MSK%","reference":"data:image/png;base64,bm90IGFuIGltYWdl"}""", "reference", "notAnImage")]
    [InlineData("""{"tool":"kontext","prompt":"a red door","image":"%IMG%","references":["%REF%","%REF%"]}""", "references", "outOfRange")]
    [InlineData("""{"tool":"kontext","prompt":"a red door","image":"%IMG%","reference":"%REF%"}""", "reference", "forbiddenParameter")]
    [InlineData("""{"tool":"fill-pro","prompt":"a red door","image":"%IMG%","mask":"%MSK%","reference":"%REF%"}""", "reference", "forbiddenParameter")]
    [InlineData("""{"tool":"fill-pro","prompt":"a red door","image":"%IMG%","mask":"%MSK%","width":1024}""", "width", "forbiddenParameter")]
    [InlineData("""{"tool":"fill-pro","prompt":"a red door","image":"%IMG%","mask":"%MSK%","cfgScale":120}""", "cfgScale", "outOfRange")]
    public async Task PostEdits_BadReferenceOrFillProRule_Is400NamingTheField(string json, string parameter, string code)
    {
        using var client = runner.CreateClient();
        var body = json.Replace("%IMG%", Photo, StringComparison.Ordinal).Replace("%MSK%", Mask, StringComparison.Ordinal).Replace("%REF%", Reference, StringComparison.Ordinal);

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json(body));

        ApiAnswerAssert.Matches(new ApiCase("reference " + parameter, "POST", "/api/edits", () => null, 400, [new ExpectedError(parameter, code)]), answer);
    }
}
