using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary><c>regions</c> (per-region prompts for fill) over HTTP: refused with a 400 naming the field, like the blob drop's failure record.</summary>
[Collection(ApiCollection.Name)]
public sealed class RegionPromptApiTests(ApiRunnerFixture runner)
{
    private static readonly string Photo = ApiImages.DataUri(ApiImages.Png(320, 240));
    private static readonly string Mask = ApiImages.DataUri(ApiImages.Mask(320, 240));

    [Theory]
    [InlineData("""{"tool":"fill","prompt":"a garden","image":"IMAGE","mask":"MASK","regions":[{"color":"#ff0000"},{"color":"#00ff00"},{"color":"#0000ff"},{"color":"#ffff00"},{"color":"#ffffff"}]}""", "regions", "outOfRange")]
    [InlineData("""{"tool":"canny","prompt":"a house","image":"IMAGE","regions":[{"color":"#ff0000","prompt":"roses"}]}""", "regions", "forbiddenParameter")]
    [InlineData("""{"tool":"fill","prompt":"a garden","image":"IMAGE","mask":"MASK","outpaint":{"top":64},"regions":[{"color":"#ff0000"}]}""", "regions", "forbiddenParameter")]
    [InlineData("""{"tool":"fill","prompt":"a garden","image":"IMAGE","mask":"MASK","regions":[{"color":"#000000"}]}""", "regions[0].color", "invalidValue")]
    public async Task PostEdits_BadRegions_Is400NamingTheField(string json, string parameter, string code)
    {
        using var client = runner.CreateClient();
        var body = json.Replace("IMAGE", Photo, StringComparison.Ordinal).Replace("MASK", Mask, StringComparison.Ordinal);

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json(body));

        ApiAnswerAssert.Matches(new ApiCase("regions " + parameter, "POST", "/api/edits", () => null, 400, [new ExpectedError(parameter, code)]), answer);
    }
}
