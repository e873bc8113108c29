using System.Text.Json;
using FluxFunctions.Testing;

namespace FluxFunctions.Functions.Tests;

/// <summary>
/// Azure Functions Core Tools cannot run here, so the build's generated <c>functions.metadata</c> is checked instead:
/// it is what the Functions host indexes.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<JsonElement> Metadata = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        if (!File.Exists(path))
        {
            path = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "FluxFunctions", "bin"), "functions.metadata", SearchOption.AllDirectories).First();
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    private static IEnumerable<(string Function, JsonElement Binding)> Bindings() =>
        Metadata.Value.EnumerateArray().SelectMany(f => f.GetProperty("bindings").EnumerateArray().Select(b => (f.GetProperty("name").GetString()!, b)));

    private static string Type(JsonElement binding) => binding.GetProperty("type").GetString()!;

    [Theory]
    [InlineData("blobTrigger")]
    [InlineData("httpTrigger")]
    [InlineData("orchestrationTrigger")]
    [InlineData("activityTrigger")]
    [InlineData("durableClient")]
    public void Metadata_HoldsTriggerKind(string kind)
    {
        Assert.Contains(Bindings(), b => Type(b.Binding) == kind);
    }

    [Fact]
    public void Metadata_BlobTriggersWatchTheConfiguredInputContainer_WithBothSources()
    {
        var triggers = Bindings().Where(b => Type(b.Binding) == "blobTrigger").ToList();

        Assert.All(triggers, t => Assert.Equal("%Flux:InputContainer%/{name}", t.Binding.GetProperty("path").GetString()));
        Assert.Equal(new[] { "EventGrid", "LogsAndContainerScan" }, triggers.Select(t => t.Binding.GetProperty("source").GetString()).Order().ToArray());
        Assert.All(triggers, t => Assert.Contains(Bindings(), b => b.Function == t.Function && Type(b.Binding) == "durableClient"));
    }

    [Fact]
    public void Metadata_OrchestratorAndActivities_AreNamedAfterCoreClasses()
    {
        var activities = Bindings().Where(b => Type(b.Binding) == "activityTrigger").Select(b => b.Function).Order().ToArray();
        var expected = FluxFunctions.Core.Composition.CoreServiceCollectionExtensions.ActivityTypes.Select(t => t.Name).Order().ToArray();

        Assert.Equal(expected, activities);
        Assert.Equal("EditOrchestrator", Assert.Single(Bindings(), b => Type(b.Binding) == "orchestrationTrigger").Function);
    }

    [Fact]
    public void Metadata_HttpTriggers_UseFunctionKeys_ExceptRunwaresWebhook()
    {
        var http = Bindings().Where(b => Type(b.Binding) == "httpTrigger").ToList();

        Assert.NotEmpty(http);
        Assert.All(http.Where(h => h.Function != "RunwareWebhook"), h => Assert.Equal("Function", h.Binding.GetProperty("authLevel").GetString()));

        // Runware cannot send a function key: its posts are authenticated by the per-job token instead.
        Assert.Equal("Anonymous", Assert.Single(http, h => h.Function == "RunwareWebhook").Binding.GetProperty("authLevel").GetString());
    }
}
