using FluxFunctions.Testing.Api;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>The shared table of API cases, through the Functions HTTP trigger methods: the same answers as the runner.</summary>
[Collection(TriggerCollection.Name)]
public sealed class TriggerCaseTests(TriggerFixture fixture)
{
    [Theory]
    [MemberData(nameof(ApiCases.Names), MemberType = typeof(ApiCases))]
    public async Task Trigger_SharedCase_AnswersAsExpected(string name)
    {
        var c = ApiCases.Get(name);

        var answer = await new TriggerInvoker(fixture).SendAsync(c);

        ApiAnswerAssert.Matches(c, answer);
    }
}
