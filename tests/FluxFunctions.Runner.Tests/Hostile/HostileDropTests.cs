using System.Text.Json.Nodes;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Runner.Tests.Pipeline;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Hostile;

/// <summary>
/// A hostile corpus, built here, dropped as blobs into one runner: each item ends with a failure record naming its
/// specific reason (or, for a legitimate odd name, a manifest), the runner keeps working, and no input is changed.
/// </summary>
public sealed class HostileDropTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed record Item(string Name, byte[] Bytes, string? Options, string Expected);

    [Fact]
    public async Task Drop_HostileCorpus_EachGetsItsSpecificOutcomeAndTheInputIsUntouched()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__AllowPrivateNetworkUrls"] = "false" });
        var png = SampleJobs.PhotoPng(320, 320, 1);
        var jpg = SampleJobs.Photo(320, 320, 2);
        using var bitmap = TestImages.PhotoLike(320, 320, 3);
        var webp = TestFiles.Webp(bitmap);
        var deep = "{\"prompt\":\"deep\",\"context\":" + new string('[', 3000) + new string(']', 3000) + "}";
        Item[] corpus =
        [
            new("redux/h/truncated.png", png[..(png.Length / 2)], null, ErrorCodes.CorruptImage),
            new("redux/h/truncated.jpg", jpg[..(jpg.Length / 2)], null, ErrorCodes.CorruptImage),
            new("redux/h/truncated.webp", webp[..(webp.Length / 2)], null, ErrorCodes.CorruptImage),
            new("redux/h/bomb.png", ApiImages.PngDeclaring(30_000, 30_000), null, ErrorCodes.ImageTooLarge),
            new("redux/h/archive.png", TestFiles.Zip(), null, ErrorCodes.NotAnImage),
            new("redux/h/empty.png", [], null, ErrorCodes.EmptyImage),
            new("canny/h/long-prompt.png", png, $$"""{"prompt":"{{new string('z', 20_000)}}"}""", ErrorCodes.PromptTooLong),
            new("canny/h/wrong-types.png", png, """{"prompt":7}""", ErrorCodes.InvalidType),
            new("canny/h/deep.png", png, deep, ErrorCodes.InvalidJson),
            new("canny/h/huge-options.png", png, $$"""{"prompt":"{{new string('w', 100_000)}}"}""", ErrorCodes.InvalidOptionsFile),
            new("canny/h/ssrf-callback.png", png, """{"prompt":"a barn","callbackUrl":"https://169.254.169.254/latest"}""", ErrorCodes.UnsafeUrl),
            new("sharpen/h/unknown-tool.png", png, null, ErrorCodes.UnknownTool),
            new("canny/h/control-prompt.png", png, """{"prompt":"a barn \u0000 at \u0007 dusk \u001b[31m"}""", ErrorCodes.InvalidValue),
            new("redux/h/ünïcødé 名前 🙂.png", png, """{"prompt":"Ünïcødé 名前 🙂 prompt"}""", "completed"),
        ];
        var dropped = new List<(Item Item, string JobId, string ETag)>();
        foreach (var item in corpus)
        {
            if (item.Options is not null)
            {
                await p.DropAsync(item.Name[..item.Name.LastIndexOf('.')] + ".json", item.Options);
            }

            var etag = await p.DropAsync(item.Name, item.Bytes);
            dropped.Add((item, JobIds.ForBlob(p.InputContainer, item.Name, etag), etag));
        }

        var (manifests, failures) = await p.WaitForOutcomesAsync(corpus.Length, TimeSpan.FromSeconds(90));

        var wrong = new List<string>();
        foreach (var (item, jobId, etag) in dropped)
        {
            var failure = failures.Where(f => (string?)f.Json["jobId"] == jobId).Select(f => f.Json).FirstOrDefault();
            var completed = manifests.Exists(m => (string?)m.Json["jobId"] == jobId);
            var actual = completed ? "completed" : (string?)failure?["error"]?["code"] ?? "no outcome";
            var blob = await p.Inputs.GetBlobClient(item.Name).DownloadContentAsync();
            var untouched = blob.Value.Details.ETag.ToString() == etag && blob.Value.Content.ToArray().AsSpan().SequenceEqual(item.Bytes);
            var specific = completed || !string.IsNullOrWhiteSpace((string?)failure?["error"]?["message"]);
            if (actual != item.Expected || !untouched || !specific)
            {
                wrong.Add($"{item.Name}: {actual} (expected {item.Expected}){(untouched ? "" : ", input changed")} {failure?["error"]?.ToJsonString()}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(corpus.Length, manifests.Count + failures.Count);
        Assert.Single(manifests);
    }

    [Fact]
    public async Task Drop_OptionsWithPrivateCallback_FailsWithUnsafeUrlAndStartsNoInference()
    {
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Flux__AllowPrivateNetworkUrls"] = "false" });
        await p.DropAsync("depth/cb/photo.json", """{"prompt":"a barn","callbackUrl":"https://10.0.0.7/hook"}""");
        await p.DropAsync("depth/cb/photo.jpg", SampleJobs.Photo(320, 320, 4));

        var (manifests, failures) = await p.WaitForOutcomesAsync(1, TimeSpan.FromSeconds(60));

        Assert.Empty(manifests);
        var error = Assert.Single(failures).Json["error"]!;
        Assert.Equal(ErrorCodes.UnsafeUrl, (string?)error["code"]);
        Assert.Equal("callbackUrl", (string?)error["parameter"]);
        Assert.Equal(0L, (long)(await p.StatsAsync())["inferencesAccepted"]!);
    }
}
