using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Requests;

namespace FluxFunctions.Core.Tests.Requests;

public sealed class OptionsMergeTests
{
    [Fact]
    public void Merge_DeeperLayersWinFieldByField_ObjectsMerge_NullRemoves_NamesIgnoreCase()
    {
        var (merged, sourceOf) = OptionsMerge.Merge(
        [
            ("top", Obj("""{"prompt":"top","steps":20,"seed":1,"preprocess":{"lowThreshold":10,"highThreshold":200}}""")),
            ("mid", Obj("""{"Prompt":"mid","preprocess":{"highThreshold":150}}""")),
            ("own", Obj("""{"seed":null,"numberResults":2}""")),
        ]);

        Assert.Equal("mid", (string?)merged["prompt"]);
        Assert.Equal(20, (int?)merged["steps"]);
        Assert.False(merged.ContainsKey("seed"));
        Assert.Equal(2, (int?)merged["numberResults"]);
        Assert.Equal(10, (int?)merged["preprocess"]!["lowThreshold"]);
        Assert.Equal(150, (int?)merged["preprocess"]!["highThreshold"]);
        Assert.Equal("mid", sourceOf["prompt"]);
        Assert.Equal("top", sourceOf["steps"]);
        Assert.Equal("mid", sourceOf["preprocess"]);
        Assert.Equal("own", sourceOf["numberResults"]);
        Assert.False(sourceOf.ContainsKey("seed"));
    }

    [Fact]
    public void Merge_LeavesTheLayersAsTheyWere()
    {
        var top = Obj("""{"preprocess":{"lowThreshold":10}}""");
        var (merged, _) = OptionsMerge.Merge([("top", top), ("own", Obj("""{"preprocess":{"lowThreshold":30}}"""))]);

        Assert.Equal(30, (int?)merged["preprocess"]!["lowThreshold"]);
        Assert.Equal(10, (int?)top["preprocess"]!["lowThreshold"]);
    }

    [Theory]
    [InlineData("canny/photo", new[] { "canny/_defaults.json" })]
    [InlineData("canny/a/b/photo", new[] { "canny/_defaults.json", "canny/a/_defaults.json", "canny/a/b/_defaults.json" })]
    public void Candidates_FromTheToolFolderDown(string baseName, string[] expected) =>
        Assert.Equal(expected, FolderDefaults.Candidates(baseName));

    [Theory]
    [InlineData("canny/_defaults.json", true)]
    [InlineData("canny/a/_defaults.json", true)]
    [InlineData("canny/a/my_defaults.json", false)]
    [InlineData("canny/a/photo.json", false)]
    public void IsDefaults_OnlyTheExactFileName(string name, bool expected) => Assert.Equal(expected, FolderDefaults.IsDefaults(name));

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json, OptionsMerge.NodeOptions)!;
}
