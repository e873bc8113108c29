using System.Text.Json;
using FluxFunctions.Testing;

namespace FluxFunctions.Infra.Tests;

/// <summary>
/// infra/main.bicep built (<c>bicep build --stdout</c>) and linted (<c>bicep lint</c>) once for all tests of the
/// collection, with the compiled ARM template parsed for evaluation.
/// </summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    /// <summary>The template under test, relative to the repository root.</summary>
    public const string MainBicep = "infra/main.bicep";

    /// <summary>A fixed name suffix, so generated names are known (the default would be a deployment-time uniqueString).</summary>
    public const string ResourceToken = "tok123";

    private JsonDocument? document;

    internal BicepRun Build { get; private set; } = new(-1, string.Empty, "not run");

    internal BicepRun Lint { get; private set; } = new(-1, string.Empty, "not run");

    /// <summary>The compiled ARM template.</summary>
    public JsonElement Json => (document ?? throw new InvalidOperationException("infra/main.bicep did not compile:\n" + Build.Transcript)).RootElement;

    /// <summary>The compiled template as text.</summary>
    public string Text => Build.StandardOutput;

    public async Task InitializeAsync()
    {
        Build = await BicepCli.RunAsync("build", MainBicep, "--stdout");
        Lint = await BicepCli.RunAsync("lint", MainBicep);
        if (Build.ExitCode == 0)
        {
            document = JsonDocument.Parse(Build.StandardOutput);
        }
    }

    public Task DisposeAsync()
    {
        document?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The main template with its defaults, except <see cref="ResourceToken"/>; <paramref name="overrides"/> are given as
    /// in a parameters file (name → value).
    /// </summary>
    internal ArmScope Main(params (string Name, object Value)[] overrides)
    {
        var parameters = new Dictionary<string, object> { ["resourceToken"] = new { value = ResourceToken } };
        foreach (var (name, value) in overrides)
        {
            parameters[name] = new { value };
        }

        return ArmScope.ForMain(Json, ToElements(JsonSerializer.SerializeToElement(parameters)));
    }

    /// <summary>The main template with the values of infra/main.parameters.json.</summary>
    internal ArmScope MainWithParametersFile()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.parameters.json")));
        return ArmScope.ForMain(Json, ToElements(file.RootElement.GetProperty("parameters").Clone()));
    }

    private static Dictionary<string, JsonElement> ToElements(JsonElement parameters) =>
        parameters.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
}

/// <summary>Test classes sharing one build of the template.</summary>
[CollectionDefinition(Name)]
public sealed class BicepCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "bicep";
}
