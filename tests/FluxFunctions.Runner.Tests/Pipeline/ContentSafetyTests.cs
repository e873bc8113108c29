using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>
/// Content safety end to end on the runner, Azurite and the emulator flagging every second result (by seed: of a job's
/// two results with seed 4, result 1, seed 5): each <c>safety.onFlagged</c> does what it says — <c>fail</c> fails the job
/// with <c>contentFlagged</c> and stores nothing, <c>quarantine</c> writes the flagged image to the quarantine container
/// instead of the output container, <c>record</c> keeps it and flags it in the manifest — and the task carries Runware's
/// <c>safety</c> object only when something is checked. A second job in each folder asks for no check and is untouched.
/// With the emulator refusing flagged results with an error instead (dialect <c>FlaggedAnswer: error</c>), the job fails
/// with <c>contentFlagged</c> and the inference is not submitted again.
/// </summary>
public sealed class ContentSafetyTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private const string Checked = """{"prompt":"a stone house","seed":4,"numberResults":2,"safety":{"check":"outputs","onFlagged":"MODE"}}""";

    private const string Unchecked = """{"prompt":"a stone house","seed":4,"numberResults":2}""";

    [Fact]
    public async Task Drop_OnFlaggedFail_FailsWithContentFlaggedAndStoresNothing()
    {
        await using var p = await StartAsync();
        await DropPairAsync(p, Checked.Replace("MODE", "fail", StringComparison.Ordinal), Unchecked);

        var (manifests, failures) = await p.WaitForOutcomesAsync(2, Timeout);

        var failure = Assert.Single(failures).Json;
        Assert.Equal("canny/s/a.jpg", (string?)failure["source"]!["blob"]);
        Assert.Equal("contentFlagged", (string?)failure["error"]!["code"]);
        Assert.Equal("safety", (string?)failure["error"]!["parameter"]);
        Assert.Contains("result(s) 1 of 2", (string?)failure["error"]!["message"], StringComparison.Ordinal);
        var clean = Assert.Single(manifests).Json;
        Assert.Equal("canny/s/b.jpg", (string?)clean["source"]!["blob"]);
        Assert.Null(clean["safety"]);
        Assert.Equal(2, clean["images"]!.AsArray().Count);
        Assert.Empty(await NamesAsync(p.Outputs, "canny/s/a/"));
        await AssertSafetySentOnlyToAsync(p, new JsonObject { ["checkContent"] = true });
    }

    [Fact]
    public async Task Drop_OnFlaggedQuarantineAsDeploymentDefault_FlaggedImageGoesToQuarantineNotOutputs()
    {
        // The deployment's default quarantines; the second job turns the check off for itself.
        await using var p = await StartAsync(new Dictionary<string, string> { ["Flux__Safety__Check"] = "outputs", ["Flux__Safety__OnFlagged"] = "quarantine" });
        await DropPairAsync(p, """{"prompt":"a stone house","seed":4,"numberResults":2}""", """{"prompt":"a stone house","seed":4,"numberResults":2,"safety":{"check":"off"}}""");

        var (manifests, failures) = await p.WaitForOutcomesAsync(2, Timeout);

        Assert.Empty(failures);
        var byImage = manifests.ToDictionary(m => (string)m.Json["source"]!["blob"]!, m => m.Json);
        var a = byImage["canny/s/a.jpg"];
        var jobId = (string)a["jobId"]!;
        Assert.Equal("quarantine", (string?)a["safety"]!["onFlagged"]);
        Assert.Equal([1], a["safety"]!["flagged"]!.AsArray().Select(i => (int)i!));
        Assert.Equal([$"{p.QuarantineContainer}/canny/s/a/{jobId}/1.png"], a["safety"]!["quarantined"]!.AsArray().Select(b => (string)b!));
        Assert.Equal(true, (bool?)a["images"]![1]!["quarantined"]);
        Assert.Equal($"{p.QuarantineContainer}/canny/s/a/{jobId}/1.png", (string?)a["images"]![1]!["blob"]);
        Assert.Equal([$"canny/s/a/{jobId}/0.png", $"canny/s/a/{jobId}/manifest.json"], await NamesAsync(p.Outputs, "canny/s/a/"));
        Assert.Equal([$"canny/s/a/{jobId}/1.png"], await NamesAsync(p.Quarantine, ""));
        Assert.Null(byImage["canny/s/b.jpg"]["safety"]);
        Assert.Equal("off", (string?)byImage["canny/s/b.jpg"]["parameters"]!["safety"]!["check"]);
        await AssertSafetySentOnlyToAsync(p, new JsonObject { ["checkContent"] = true });

        // The API serves the clean result only; the batch counts the job completed, flagged and quarantined.
        using var api = p.ApiClient();
        var status = await api.GetFromJsonAsync<JsonObject>($"api/edits/{jobId}");
        Assert.Equal("completed", (string?)status!["status"]);
        Assert.Equal([0], status["outputs"]!.AsArray().Select(o => (int)o!["index"]!));
        var batch = await api.GetFromJsonAsync<JsonObject>("api/batches/canny/s");
        Assert.Equal(2, (int?)batch!["completed"]);
        Assert.Equal(1, (int?)batch["flagged"]);
        Assert.Equal(1, (int?)batch["quarantined"]);
        Assert.Equal(0, (int?)batch["inProgress"]);
    }

    [Fact]
    public async Task Drop_OnFlaggedRecordCheckingInputs_KeepsFlaggedImageAndFlagsItInTheManifest()
    {
        await using var p = await StartAsync();
        await DropPairAsync(p, """{"prompt":"a stone house","seed":4,"numberResults":2,"safety":{"check":"inputs-and-outputs","onFlagged":"record"}}""", Unchecked);

        var (manifests, failures) = await p.WaitForOutcomesAsync(2, Timeout);

        Assert.Empty(failures);
        var a = manifests.Single(m => (string?)m.Json["source"]!["blob"] == "canny/s/a.jpg").Json;
        var jobId = (string)a["jobId"]!;
        Assert.Equal("inputs-and-outputs", (string?)a["safety"]!["check"]);
        Assert.Equal([1], a["safety"]!["flagged"]!.AsArray().Select(i => (int)i!));
        Assert.Empty(a["safety"]!["quarantined"]!.AsArray());
        Assert.Null(a["images"]![0]!["flagged"]);
        Assert.Equal(true, (bool?)a["images"]![1]!["flagged"]);
        Assert.Equal([$"canny/s/a/{jobId}/0.png", $"canny/s/a/{jobId}/1.png", $"canny/s/a/{jobId}/manifest.json"], await NamesAsync(p.Outputs, "canny/s/a/"));
        Assert.Empty(await NamesAsync(p.Quarantine, ""));
        await AssertSafetySentOnlyToAsync(p, new JsonObject { ["checkContent"] = true, ["checkInputs"] = true });

        // The job's view serves both and says which one was flagged.
        using var api = p.ApiClient();
        var status = await api.GetFromJsonAsync<JsonObject>($"api/edits/{jobId}");
        Assert.Equal([0, 1], status!["outputs"]!.AsArray().Select(o => (int)o!["index"]!));
        Assert.Null(status["outputs"]![0]!["flagged"]);
        Assert.Equal(true, (bool?)status["outputs"]![1]!["flagged"]);
    }

    [Fact]
    public async Task Drop_RunwareRefusesFlaggedResultWithAnError_FailsWithContentFlaggedWithoutResubmitting()
    {
        await using var p = await StartAsync(emulatorAnswer: "error");
        await DropPairAsync(p, Checked.Replace("MODE", "record", StringComparison.Ordinal), Unchecked);

        var (manifests, failures) = await p.WaitForOutcomesAsync(2, Timeout);

        var failure = Assert.Single(failures).Json;
        Assert.Equal("canny/s/a.jpg", (string?)failure["source"]!["blob"]);
        Assert.Equal("contentFlagged", (string?)failure["error"]!["code"]);
        Assert.Contains("nsfwContentDetected", (string?)failure["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal("canny/s/b.jpg", (string?)Assert.Single(manifests).Json["source"]!["blob"]);
        var checkedTasks = (await p.RecordedTasksAsync()).Select(t => t.Task).Where(t => (string?)t["taskType"] == "imageInference" && t["safety"] is not null).ToList();
        Assert.Single(checkedTasks);
    }

    private async Task<PipelineHarness> StartAsync(IDictionary<string, string>? settings = null, string emulatorAnswer = "flag")
    {
        var p = await PipelineHarness.CreateAsync(azurite, emulator: o =>
        {
            o.FlagEvery = 2;
            o.FlaggedAnswer = emulatorAnswer;
        });
        await p.StartRunnerAsync(settings);
        return p;
    }

    private static async Task DropPairAsync(PipelineHarness p, string checkedOptions, string otherOptions)
    {
        await p.DropAsync("canny/s/a.json", checkedOptions);
        await p.DropAsync("canny/s/b.json", otherOptions);
        await p.DropAsync("canny/s/a.jpg", SampleJobs.Photo(320, 240, 1));
        await p.DropAsync("canny/s/b.jpg", SampleJobs.Photo(320, 240, 2));
    }

    /// <summary>Exactly one inference (job a's) carried <c>safety</c>, equal to <paramref name="expected"/>; the other none.</summary>
    private static async Task AssertSafetySentOnlyToAsync(PipelineHarness p, JsonObject expected)
    {
        var inferences = (await p.RecordedTasksAsync()).Select(t => t.Task).Where(t => (string?)t["taskType"] == "imageInference").ToList();
        Assert.Equal(2, inferences.Count);
        var withSafety = Assert.Single(inferences, t => t["safety"] is not null);
        Assert.True(JsonNode.DeepEquals(expected, withSafety["safety"]), withSafety["safety"]!.ToJsonString());
    }

    private static async Task<List<string>> NamesAsync(Azure.Storage.Blobs.BlobContainerClient container, string prefix)
    {
        var names = new List<string>();
        if (!await container.ExistsAsync())
        {
            return names;
        }

        await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(item.Name);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }
}
