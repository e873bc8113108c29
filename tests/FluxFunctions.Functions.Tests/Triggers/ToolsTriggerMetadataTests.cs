using System.Text.Json;
using FluxFunctions.Api;
using FluxFunctions.Testing;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>The Functions app serves <c>GET /api/tools</c> behind its function key (it serves no page that needs it without one).</summary>
public sealed class ToolsTriggerMetadataTests
{
    [Fact]
    public void Metadata_Tools_IsKeyedGetOnItsRoute()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        if (!File.Exists(path))
        {
            path = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "FluxFunctions", "bin"), "functions.metadata", SearchOption.AllDirectories).First();
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var entry = doc.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Tools");
        var binding = entry.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");

        Assert.Equal(ApiRoutes.Tools, binding.GetProperty("route").GetString());
        Assert.Equal(["get"], binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).ToArray());
        Assert.Equal("Function", binding.GetProperty("authLevel").GetString());
    }
}
