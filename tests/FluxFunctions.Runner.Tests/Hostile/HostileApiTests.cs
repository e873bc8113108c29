using Azure.Storage.Blobs;
using FluxFunctions.Errors;
using FluxFunctions.Runner.Tests.Api;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Hostile;

/// <summary>
/// Hostile requests beyond the shared <see cref="ApiCases"/> table: each is a 400 problem naming the field (never a
/// 5xx), or — for images whose header is fine but whose body is damaged — a job that fails with <c>corruptImage</c>,
/// leaving a referenced input blob untouched.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileApiTests(ApiRunnerFixture runner)
{
    private static readonly string Photo = ApiImages.DataUri(ApiImages.Png(320, 240));

    public static TheoryData<string, string, string?, string> Cases => new()
    {
        { "blob: absolute path", """{"tool":"redux","image":"blob:/etc/passwd"}""", "image", ErrorCodes.InvalidImageSource },
        { "blob: with a NUL", """{"tool":"redux","image":"blob:flux-inputs/redux/a\u0000b.png"}""", "image", ErrorCodes.InvalidBlobName },
        { "blob: backslash climb", """{"tool":"redux","image":"blob:flux-inputs/redux/..\\..\\x.png"}""", "image", ErrorCodes.InvalidBlobName },
        { "control characters in the prompt", $$"""{"tool":"canny","prompt":"a barn \u0000 \u001b[31m","image":"{{Photo}}"}""", "prompt", ErrorCodes.InvalidValue },
        { "tool of the wrong type", $$"""{"tool":5,"image":"{{Photo}}"}""", "tool", ErrorCodes.InvalidType },
        { "seed of the wrong type", $$"""{"tool":"redux","seed":[1],"image":"{{Photo}}"}""", "seed", ErrorCodes.InvalidType },
        { "options nested 5000 deep", "{\"tool\":\"redux\",\"context\":" + new string('[', 5000) + new string(']', 5000) + "}", null, ErrorCodes.InvalidJson },
        { "SSRF to the link-local metadata address over http", """{"tool":"redux","image":"http://169.254.169.254/latest/meta-data/"}""", "image", ErrorCodes.UnsafeUrl },
        { "SSRF with credentials in the URL", """{"tool":"redux","image":"https://user:pw@example.com/x.png"}""", "image", ErrorCodes.UnsafeUrl },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Post_HostileBody_Is400NamingTheField(string name, string json, string? field, string code)
    {
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json(json));

        Assert.True(answer.Status == 400, $"{name}: {answer.Status} {answer.Text}");
        ApiAnswerAssert.IsProblem(answer, 400);
        var errors = RunnerHttp.Json(answer).GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("code").GetString() == code && (field is null || (e.TryGetProperty("parameter", out var p) && p.GetString() == field)));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpg")]
    [InlineData("webp")]
    public async Task Post_TruncatedImageBlob_JobFailsWithCorruptImageAndTheBlobIsUntouched(string format)
    {
        using var client = runner.CreateClient();
        using var bitmap = TestImages.PhotoLike(320, 240, 9);
        var whole = format switch { "png" => TestFiles.Png(bitmap), "jpg" => TestFiles.Jpeg(bitmap), _ => TestFiles.Webp(bitmap) };
        var truncated = whole[..(whole.Length / 2)];
        var inputs = new BlobServiceClient(runner.Azurite.ConnectionString).GetBlobContainerClient("flux-inputs");
        await inputs.CreateIfNotExistsAsync();
        var blob = inputs.GetBlobClient($"api-hostile/{Guid.NewGuid():N}/truncated.{format}");
        var etag = (await blob.UploadAsync(BinaryData.FromBytes(truncated))).Value.ETag;

        var answer = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json($$"""{"tool":"redux","image":"blob:flux-inputs/{{blob.Name}}"}"""));
        Assert.True(answer.Status is 202 or 400, answer.Text);
        if (answer.Status == 202)
        {
            var status = await RunnerHttp.WaitForStatusAsync(client, RunnerHttp.Json(answer).GetProperty("id").GetString()!, TimeSpan.FromSeconds(90), "completed", "failed");
            Assert.Equal("failed", status.GetProperty("status").GetString());
            Assert.Equal(ErrorCodes.CorruptImage, status.GetProperty("error").GetProperty("code").GetString());
        }
        else
        {
            Assert.Contains(ErrorCodes.CorruptImage, answer.Text, StringComparison.Ordinal);
        }

        var after = await blob.DownloadContentAsync();
        Assert.Equal(etag, after.Value.Details.ETag);
        Assert.Equal(truncated, after.Value.Content.ToArray());
    }
}
