using FluxFunctions.Testing.Api;
using Microsoft.AspNetCore.Builder;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary>The runner under test for the HTTP API, shared by the API test classes (one Azurite, one runner).</summary>
public sealed class ApiRunnerFixture : RunnerFixture
{
    protected override WebApplication BuildRunner(string[] args, Action<WebApplicationBuilder> configure) => RunnerApp.Build(args, configure);
}

/// <summary>The API test classes share one runner.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiRunnerFixture>
{
    public const string Name = "runner api";
}
