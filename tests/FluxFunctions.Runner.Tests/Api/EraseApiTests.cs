using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary><c>tool: "erase"</c> over HTTP: image and mask, no prompt; the rules come from the erase description.</summary>
[Collection(ApiCollection.Name)]
public sealed class EraseApiTests(ApiRunnerFixture runner)
{
    private static readonly string Photo = ApiImages.DataUri(ApiImages.Png(320, 240));
    private static readonly string Mask = ApiImages.DataUri(ApiImages.Mask(320, 240));

    [Fact]
    public async Task PostEdits_EraseWithImageAndMask_Completes()
    {
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits?wait=60", ApiCase.Json($$"""{"tool":"erase","image":"{{Photo}}","mask":"{{Mask}}"}"""));

        Assert.Equal(200, answer.Status);
        var status = RunnerHttp.Json(answer);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal("erase", status.GetProperty("tool").GetString());
        Assert.Contains(await runner.RunwareTasksAsync(), t => (string?)t["taskType"] == "imageInference" && (string?)t["model"] == "bfl:flux@erase" && t["inputs"] is not null && !t.ContainsKey("positivePrompt"));
    }

    [Theory]
    [InlineData("""{"tool":"erase","prompt":"remove the car","image":"IMAGE","mask":"MASK"}""", "prompt", "forbiddenParameter")]
    [InlineData("""{"tool":"erase","image":"IMAGE"}""", "mask", "missingField")]
    [InlineData("""{"tool":"erase","width":1024,"image":"IMAGE","mask":"MASK"}""", "width", "forbiddenParameter")]
    public async Task PostEdits_EraseBreakingItsRules_Is400NamingTheField(string json, string parameter, string code)
    {
        using var client = runner.CreateClient();
        var body = json.Replace("IMAGE", Photo, StringComparison.Ordinal).Replace("MASK", Mask, StringComparison.Ordinal);

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json(body));

        ApiAnswerAssert.Matches(new ApiCase("erase " + parameter, "POST", "/api/edits", () => null, 400, [new ExpectedError(parameter, code)]), answer);
    }
}
