using System.Reflection;
using FluxFunctions.Functions.Triggers;
using Microsoft.Azure.Functions.Worker;

namespace FluxFunctions.Infra.Tests;

/// <summary>The blob-triggered functions of the app the template deploys, read from its assembly.</summary>
internal static class FunctionsApp
{
    /// <summary>The blob trigger functions: name, path, connection and source.</summary>
    public static IReadOnlyList<(string Name, BlobTriggerAttribute Trigger)> BlobTriggers { get; } =
        typeof(BlobDropTriggers).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<BlobTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .Select(x => (x.Function!.Name, x.Trigger!))
            .ToList();

    /// <summary>The only function whose blob trigger has the given source.</summary>
    public static (string Name, BlobTriggerAttribute Trigger) WithSource(BlobTriggerSource source) =>
        Assert.Single(BlobTriggers, t => t.Trigger.Source == source);
}
