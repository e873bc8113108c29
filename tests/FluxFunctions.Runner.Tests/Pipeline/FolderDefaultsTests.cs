using System.Text.Json.Nodes;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// Folder defaults end to end on the runner, Azurite and the emulator: <c>_defaults.json</c> in a tool folder and a deeper
/// one overriding the prompt; images without options of their own take the merged defaults after the short wait, an
/// image's own options override them field by field, each manifest names the files its options came from, and a broken
/// defaults file fails every job it governs with a record naming the file and the field.
/// </summary>
public sealed class FolderDefaultsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Drop_FolderWithDefaults_EachImageGetsTheMergedOptionsAndItsSources()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__OptionalCompanionWaitSeconds"] = "1" });
        await p.DropAsync("canny/_defaults.json", """{"prompt":"a watercolour village","steps":12,"seed":5,"preprocess":{"highThreshold":180}}""");
        await p.DropAsync("canny/shop/summer/_defaults.json", """{"prompt":"a summer beach","preprocess":{"lowThreshold":40}}""");
        await p.DropAsync("canny/shop/own.json", """{"seed":9,"steps":null}""");

        var photos = new[] { "canny/shop/a.jpg", "canny/shop/b.jpg", "canny/shop/summer/c.jpg", "canny/shop/own.jpg" };
        foreach (var (name, i) in photos.Select((n, i) => (n, i)))
        {
            await p.DropAsync(name, SampleJobs.Photo(320, 240, i + 1));
        }

        var (manifests, failures) = await p.WaitForOutcomesAsync(photos.Length, Timeout);

        Assert.Empty(failures);
        var byImage = manifests.ToDictionary(m => (string)m.Json["source"]!["blob"]!, m => m.Json);
        Assert.Equal(photos.Order(), byImage.Keys.Order());

        var a = byImage["canny/shop/a.jpg"];
        Assert.Equal("a watercolour village", (string?)a["prompt"]);
        Assert.Equal(12, (int?)a["parameters"]!["steps"]);
        Assert.Equal(["canny/_defaults.json"], Sources(a));
        Assert.Null(a["source"]!["options"]);

        var c = byImage["canny/shop/summer/c.jpg"];
        Assert.Equal("a summer beach", (string?)c["prompt"]);
        Assert.Equal(12, (int?)c["parameters"]!["steps"]);
        Assert.Equal(40, (int?)c["parameters"]!["preprocess"]!["lowThreshold"]);
        Assert.Equal(180, (int?)c["parameters"]!["preprocess"]!["highThreshold"]);
        Assert.Equal(["canny/_defaults.json", "canny/shop/summer/_defaults.json"], Sources(c));

        // The image's own options win field by field; null takes a default away (steps back to the tool's default).
        var own = byImage["canny/shop/own.jpg"];
        Assert.Equal("a watercolour village", (string?)own["prompt"]);
        Assert.NotEqual(12, (int?)own["parameters"]!["steps"] ?? 0);
        Assert.Equal("canny/shop/own.json", (string?)own["source"]!["options"]!["blob"]);
        var tasks = (await p.RecordedTasksAsync()).Select(t => t.Task).Where(t => (string?)t["taskType"] == "imageInference").ToList();
        Assert.Contains(tasks, t => (string?)t["positivePrompt"] == "a watercolour village" && (long?)t["seed"] == 9);
        Assert.Contains(tasks, t => (string?)t["positivePrompt"] == "a summer beach" && (long?)t["seed"] == 5);
    }

    [Fact]
    public async Task Drop_BrokenDefaults_FailsEachGovernedJobNamingTheFileAndTheField()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__OptionalCompanionWaitSeconds"] = "1" });
        await p.DropAsync("depth/_defaults.json", """{"prompt":"a snowy valley"}""");
        await p.DropAsync("depth/bad/_defaults.json", """{"steps":"many"}""");
        await p.DropAsync("depth/bad/x.jpg", SampleJobs.Photo(320, 240, 1));
        await p.DropAsync("depth/bad/y.jpg", SampleJobs.Photo(320, 240, 2));
        await p.DropAsync("depth/fine.jpg", SampleJobs.Photo(320, 240, 3));

        var (manifests, failures) = await p.WaitForOutcomesAsync(3, Timeout);

        Assert.Equal("depth/fine.jpg", (string?)Assert.Single(manifests).Json["source"]!["blob"]);
        Assert.Equal(2, failures.Count);
        foreach (var (_, record) in failures)
        {
            var message = (string)record["error"]!["message"]!;
            Assert.Contains("depth/bad/_defaults.json", message, StringComparison.Ordinal);
            Assert.Contains("steps", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Drop_DefaultsWithoutAPrompt_ImageWithoutOptions_FailsNamingWhereThePromptCanGo()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__OptionalCompanionWaitSeconds"] = "1" });
        await p.DropAsync("canny/np/_defaults.json", """{"seed":3}""");
        await p.DropAsync("canny/np/z.jpg", SampleJobs.Photo(320, 240, 4));

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Timeout);

        Assert.Empty(manifests);
        var message = (string)Assert.Single(failures).Json["error"]!["message"]!;
        Assert.Contains("canny/np/z.json (or a _defaults.json above it)", message, StringComparison.Ordinal);
        Assert.Contains("prompt", message, StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> Sources(JsonNode manifest) =>
        [.. manifest["source"]!["defaults"]!.AsArray().Select(d => (string)d!["blob"]!)];
}
