using System.Net;
using System.Text.Json;
using FluxFunctions.Cli.Commands;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Cli.Tests.Api;

/// <summary><c>GET /api/tools</c> on the runner: the catalog the page builds its form from, and the list the CLI mirrors.</summary>
[Collection(CliCollection.Name)]
public sealed class ToolsApiTests(CliRunnerFixture fixture)
{
    [Fact]
    public async Task Tools_WithoutKey_ListsEveryToolWithItsRules()
    {
        using var http = fixture.CreateClient(withKey: false);

        using var response = await http.GetAsync(new Uri("/api/tools", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var tools = doc.RootElement.GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(ToolCatalog.All.Select(t => t.Name), tools.Select(t => t.GetProperty("name").GetString()));
        var fill = tools.Single(t => t.GetProperty("name").GetString() == "fill");
        Assert.Equal("requiredUnlessOutpaint", fill.GetProperty("mask").GetString());
        Assert.Contains("outpaint", fill.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        var canny = tools.Single(t => t.GetProperty("name").GetString() == "canny");
        Assert.Equal("canny", canny.GetProperty("guide").GetString());
        Assert.Equal("none", canny.GetProperty("mask").GetString());
    }

    [Fact]
    public void CliTools_MirrorTheServersCatalog()
    {
        Assert.Equal(ToolCatalog.All.Select(t => t.Name), CliTools.Names);
        Assert.All(CliTools.All, t => Assert.Equal(ToolCatalog.All.Single(d => d.Name == t.Name).TakesMask, t.MaskHelp is not null));
        Assert.All(CliTools.All, t => Assert.Equal(ToolCatalog.All.Single(d => d.Name == t.Name).ReferenceField, t.ReferenceField));
    }
}
