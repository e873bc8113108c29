using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary>The shared table of API cases, sent to the runner over real HTTP with a valid key.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiCaseTests(ApiRunnerFixture runner)
{
    [Theory]
    [MemberData(nameof(ApiCases.Names), MemberType = typeof(ApiCases))]
    public async Task Runner_SharedCase_AnswersAsExpected(string name)
    {
        var c = ApiCases.Get(name);
        using var client = runner.CreateClient();

        var answer = await RunnerHttp.SendAsync(client, c);

        ApiAnswerAssert.Matches(c, answer);
        Assert.DoesNotContain(runner.ApiKey, answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(runner.RunwareKey, answer.Text, StringComparison.Ordinal);
    }
}
