using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary>Every route needs a key, like <c>AuthorizationLevel.Function</c>: header or <c>code</c> query.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthTests(ApiRunnerFixture runner)
{
    public static TheoryData<string, string> Routes => new()
    {
        { "POST", "/api/edits" },
        { "GET", $"/api/edits/{ApiCases.UnknownId}" },
        { "GET", $"/api/edits/{ApiCases.UnknownId}/outputs/0" },
        { "DELETE", $"/api/edits/{ApiCases.UnknownId}" },
        { "POST", "/api/preprocess/canny" },
        { "GET", "/api/health" },
        { "GET", "/api/batches/canny/products/" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_WithoutKey_Is401Problem(string method, string path)
    {
        using var client = runner.CreateClient(withKey: false);

        var answer = await RunnerHttp.SendAsync(client, method, path, method == "POST" ? ApiCase.Json("{}") : null);

        Assert.Equal(401, answer.Status);
        ApiAnswerAssert.IsProblem(answer, 401);
    }

    [Fact]
    public async Task Route_WithWrongKey_Is401Problem()
    {
        using var client = runner.CreateClient(withKey: false);
        client.DefaultRequestHeaders.Add("x-functions-key", runner.ApiKey[..^1] + (runner.ApiKey[^1] == '0' ? '1' : '0'));

        var answer = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{ApiCases.UnknownId}");

        Assert.Equal(401, answer.Status);
        Assert.DoesNotContain(runner.ApiKey, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_WithKeyInCodeQuery_PassesAuthentication()
    {
        using var client = runner.CreateClient(withKey: false);

        var answer = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{ApiCases.UnknownId}?code={runner.ApiKey}");

        Assert.Equal(404, answer.Status);
        Assert.DoesNotContain(runner.ApiKey, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_WithKeyInHeaderOrQuery_NeverLogTheKey()
    {
        using var anonymous = runner.CreateClient(withKey: false);
        using var client = runner.CreateClient();

        await RunnerHttp.SendAsync(anonymous, "GET", $"/api/edits/{ApiCases.UnknownId}?code={runner.ApiKey}");
        await RunnerHttp.SendAsync(anonymous, "GET", $"/api/edits/{ApiCases.UnknownId}?code={runner.ApiKey}x");
        await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json("{\"tool\":\"nope\"}"));

        Assert.Contains(runner.Logs.Lines, l => l.Contains("/api/edits", StringComparison.Ordinal));
        Assert.DoesNotContain(runner.Logs.Lines, l => l.Contains(runner.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(runner.Logs.Lines, l => l.Contains(runner.RunwareKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_WithKey_ReportsStorageAndRunwareWithoutSecrets()
    {
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "GET", "/api/health");

        Assert.Equal(200, answer.Status);
        var json = RunnerHttp.Json(answer);
        Assert.Equal("healthy", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("storage").GetProperty("ok").GetBoolean());
        Assert.DoesNotContain(runner.ApiKey, answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(runner.RunwareKey, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_WithKey_Is404WithoutInternals()
    {
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, "GET", "/api/nothing-here");

        Assert.Equal(404, answer.Status);
        ApiAnswerAssert.HasNoInternals(answer);
    }
}
