using FluxFunctions.Runner;
using FluxFunctions.Testing.Api;
using Microsoft.AspNetCore.Builder;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>
/// A running self-hosted runner whose services and durable engine (its <c>DurableTaskClient</c>) the Functions trigger
/// methods are called with: the same handlers, storage and orchestrations as in Azure, without the Functions host.
/// </summary>
public sealed class TriggerFixture : RunnerFixture
{
    protected override WebApplication BuildRunner(string[] args, Action<WebApplicationBuilder> configure) => RunnerApp.Build(args, configure);
}

[CollectionDefinition(Name)]
public sealed class TriggerCollection : ICollectionFixture<TriggerFixture>
{
    public const string Name = "functions triggers";
}
