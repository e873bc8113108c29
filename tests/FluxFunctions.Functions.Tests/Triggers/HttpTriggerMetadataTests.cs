using System.Text.Json;
using FluxFunctions.Api;
using FluxFunctions.Testing;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>The Functions app serves exactly the routes and methods the runner maps (both from <see cref="ApiRoutes"/>).</summary>
public sealed class HttpTriggerMetadataTests
{
    public static TheoryData<string, string, string> Routes => new()
    {
        { "CreateEdit", ApiRoutes.Edits, "post" },
        { "GetEdit", ApiRoutes.Edit, "get" },
        { "GetEditOutput", ApiRoutes.EditOutput, "get" },
        { "CancelEdit", ApiRoutes.Edit, "delete" },
        { "Preprocess", ApiRoutes.Preprocess, "post" },
        { "Health", ApiRoutes.Health, "get" },
        { "GetBatch", ApiRoutes.Batch, "get" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public void Metadata_HttpTrigger_HasRouteMethodAndFunctionKey(string function, string route, string method)
    {
        var binding = HttpTrigger(function);

        Assert.Equal(route, binding.GetProperty("route").GetString());
        Assert.Equal([method], binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).ToArray());
        Assert.Equal("Function", binding.GetProperty("authLevel").GetString());
    }

    [Fact]
    public void Metadata_RunwareWebhook_IsAnonymousPostOnItsRoute()
    {
        var binding = HttpTrigger("RunwareWebhook");

        Assert.Equal(ApiRoutes.RunwareWebhook, binding.GetProperty("route").GetString());
        Assert.Equal(["post"], binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).ToArray());
        Assert.Equal("Anonymous", binding.GetProperty("authLevel").GetString());
    }

    private static JsonElement HttpTrigger(string function)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        if (!File.Exists(path))
        {
            path = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "FluxFunctions", "bin"), "functions.metadata", SearchOption.AllDirectories).First();
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var entry = doc.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == function);
        return entry.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger").Clone();
    }
}
