using FluxFunctions.Core.Pipeline;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>
/// The API's JSON settings are read-only with a resolver from their first use: ASP.NET Core's <c>Results.Json</c> sets
/// the resolver of options that are not read-only, and two first answers racing one another (one serializing while the
/// other set the resolver) made one a 500 in a loaded CI run. Run alone, this test fails on options built mutable.
/// </summary>
public sealed class EditJsonTests
{
    [Fact]
    public void Options_AreReadOnlyWithTheirResolverBeforeAnyUse()
    {
        Assert.True(EditJson.Options.IsReadOnly);
        Assert.NotNull(EditJson.Options.TypeInfoResolver);
        Assert.Equal("""{"status":"completed"}""", System.Text.Json.JsonSerializer.Serialize(new { Status = "completed", Error = (string?)null }, EditJson.Options));
    }
}
