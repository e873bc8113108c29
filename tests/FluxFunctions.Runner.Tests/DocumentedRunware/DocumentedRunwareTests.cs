using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FluxFunctions.Runner.Tests.Pipeline;
using FluxFunctions.Testing;

namespace FluxFunctions.Runner.Tests.DocumentedRunware;

/// <summary>
/// Issue #18's check from outside: the four-tool blob drop (fill, canny, depth, redux) and a Fill edit through the HTTP
/// API that uses the context crop complete against <see cref="DocumentedRunware"/>, a stand-in written from Runware's
/// docs rather than from our emulator, once answering an unknown taskUUID with HTTP 200 <c>{"data": []}</c> and once
/// with <c>taskNotFound</c>; and the stand-in, which checks the FLUX Tools rules on every request, refused none.
/// </summary>
public sealed class DocumentedRunwareTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Key = "documented-runware-key";

    /// <summary>How long the five jobs may take together: 5-15 s on a quiet machine; the bound allows for a busy one (as ToolRequestTests).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Each unknown-task answer, with the images sent both ways the pipeline knows: <c>imageUpload</c> (the default) and
    /// <c>sas-url</c> (Runware fetches a read-only SAS URL of the blob; the stand-in fetches it without credentials); and
    /// with results delivered by webhook (<c>Runware__WebhookBaseUrl</c>) instead of polled.
    /// </summary>
    [Theory]
    [InlineData(UnknownTaskReply.EmptyData, "upload", false)]
    [InlineData(UnknownTaskReply.TaskNotFound, "upload", false)]
    [InlineData(UnknownTaskReply.EmptyData, "sas-url", false)]
    [InlineData(UnknownTaskReply.TaskNotFound, "sas-url", false)]
    [InlineData(UnknownTaskReply.EmptyData, "upload", true)]
    [InlineData(UnknownTaskReply.TaskNotFound, "upload", true)]
    public async Task FourToolDropAndFillContextEdit_AgainstTheDocumentedStandIn_AllEndWithAManifestAndNoRuleIsBroken(UnknownTaskReply unknown, string imageTransfer, bool webhooks)
    {
        // Each accepted inference stays unknown to getResponse for 600 ms, so the first polls get the unknown-task answer.
        await using var runware = await DocumentedRunware.StartAsync(unknown, apiKey: Key, latencyMs: 300, visibleAfterMs: 600);
        await using var p = await PipelineHarness.CreateAsync(azurite);
        var settings = new Dictionary<string, string>
        {
            ["Runware__BaseUrl"] = runware.ApiUrl.ToString(),
            ["Runware__ApiKey"] = Key,
            ["Runware__ImageTransfer"] = imageTransfer,
        };
        if (webhooks)
        {
            // Polling only as a late fallback, so a webhook the pipeline could not read shows as "poll" in the manifests.
            settings["Runware__WebhookBaseUrl"] = p.RunnerAddress.ToString();
            settings["Runware__WebhookFallbackSeconds"] = "30";
            settings["Flux__WebhookSecret"] = "documented-runware-webhook-secret";
        }

        await p.StartRunnerAsync(settings);
        var clock = Stopwatch.StartNew();

        await p.DropAsync("fill/doc/door.mask.png", SampleJobs.Mask(800, 600));
        await p.DropAsync("fill/doc/door.json", SampleJobs.Options("a blue door"));
        await p.DropAsync("fill/doc/door.jpg", SampleJobs.Photo(800, 600, 1));
        await p.DropAsync("canny/doc/house.json", SampleJobs.Options("a stone house", "\"preprocess\":{\"lowThreshold\":50,\"highThreshold\":150}"));
        await p.DropAsync("canny/doc/house.jpg", SampleJobs.Photo(800, 600, 2));
        await p.DropAsync("depth/doc/hill.json", SampleJobs.Options("a misty hill"));
        await p.DropAsync("depth/doc/hill.jpg", SampleJobs.Photo(600, 800, 3));
        await p.DropAsync("redux/doc/cat.json", """{"numberResults":2}""");
        await p.DropAsync("redux/doc/cat.jpg", SampleJobs.Photo(640, 640, 4));

        using var client = p.ApiClient();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(SampleJobs.Photo(2048, 1536, 5)) { Headers = { ContentType = new("image/jpeg") } }, "image", "street.jpg" },
            { new ByteArrayContent(SampleJobs.Mask(2048, 1536, new SkiaSharp.SKRectI(1200, 700, 1360, 820))) { Headers = { ContentType = new("image/png") } }, "mask", "street.mask.png" },
            { new StringContent("""{"tool":"fill","prompt":"a red bicycle","outputFormat":"PNG","context":{"mode":"auto"}}"""), "options" },
        };
        using var accepted = await client.PostAsync(new Uri("/api/edits", UriKind.Relative), form);
        Assert.Equal(202, (int)accepted.StatusCode);

        var (manifests, failures) = await p.WaitForOutcomesAsync(5, Bound);
        var took = clock.Elapsed;
        TestFigures.Report(
            $"issue #18 from outside: 4 dropped jobs + 1 API Fill with context crop against the documented stand-in ({unknown}, {imageTransfer}{(webhooks ? ", webhooks" : "")})",
            string.Create(CultureInfo.InvariantCulture, $"{manifests.Count} manifests, {failures.Count} failures in {took.TotalSeconds:0.0} s; {runware.Requests.Count} requests, {runware.UnknownAnswers} unknown-task answers, {runware.WebhooksDelivered} webhooks, {runware.Refusals.Count} refused"));

        // No request broke a documented rule (the stand-in refuses and keeps those).
        Assert.True(runware.Refusals.Count == 0, "Refused: " + string.Join("; ", runware.Refusals.Select(r => r.ToJsonString())));

        // Every job ended with a manifest, none with a failure record, within the bound.
        Assert.True(failures.Count == 0, "Failed: " + string.Join("; ", failures.Select(f => $"{f.Name}: {f.Json["error"]?.ToJsonString()}")));
        Assert.Equal(5, manifests.Count);
        Assert.True(took < Bound, $"took {took}");
        Assert.Equal(
            new[] { "canny/doc/house", "depth/doc/hill", "fill/api", "fill/doc/door", "redux/doc/cat" },
            manifests.Select(m => m.Name.StartsWith("fill/api/", StringComparison.Ordinal) ? "fill/api" : string.Join('/', m.Name.Split('/')[..3])).Order(StringComparer.Ordinal));

        // The API edit used the context crop: Runware got a crop around the mask, not the whole photo.
        var api = manifests.Single(m => m.Name.StartsWith("fill/api/", StringComparison.Ordinal)).Json;
        Assert.True((bool)api["context"]!["cropped"]!);

        // Polled: the unknown-task answer was really given (and got through). By webhook: every result came that way.
        if (webhooks)
        {
            Assert.All(manifests, m => Assert.Equal("webhook", (string?)m.Json["runware"]!["resultDelivery"]));
            Assert.Equal(6, runware.WebhooksDelivered);
        }
        else
        {
            Assert.True(runware.UnknownAnswers > 0, "the stand-in never answered for an unknown task");
        }

        // Each inference was submitted once.
        var inferences = runware.Tasks("imageInference").ToList();
        Assert.Equal(5, inferences.Count);
        Assert.Equal(5, inferences.Select(t => (string?)t["taskUUID"]).Distinct().Count());
        Assert.All(runware.Requests, r => Assert.Equal("Bearer " + Key, r.Headers["Authorization"]));
        var urls = inferences.Select(t => (string?)(t["seedImage"] ?? t["ipAdapters"]![0]!["guideImage"])).Count(i => i!.StartsWith("http", StringComparison.Ordinal));
        Assert.True(imageTransfer == "sas-url" ? urls >= 4 : urls == 0, $"{urls} inferences name their image by URL"); // depth's seed is the guide Runware made
        Assert.Equal(imageTransfer == "upload", runware.Tasks("imageUpload").Any());

        // Every image a manifest names was produced by the stand-in for that job (its URLs are the only source).
        Assert.All(manifests, m => Assert.NotEmpty(m.Json["images"]!.AsArray()));
        Assert.Equal(2, manifests.Single(m => m.Name.StartsWith("redux/", StringComparison.Ordinal)).Json["images"]!.AsArray().Count);
    }

    /// <summary>
    /// A finding, pinned: Runware's docs say "The taskUUID must be unique for each task you send to the API" (api-reference,
    /// image-upload, task-responses). When a task is acknowledged and then lost, the pipeline's silence check submits it
    /// again under the same taskUUID (assumed to recover it); a Runware that enforces the documented rule refuses that,
    /// the pipeline reads the refusal as "already known", and after a second silence window the job ends with
    /// <c>runwareTaskMissing</c> — a clear failure, not a hang, and never a second charge. (Against a Runware that accepts
    /// the repeat, <c>ToolRequestTests</c> and <c>DialectTests</c> show it completing.)
    /// </summary>
    [Theory]
    [InlineData(UnknownTaskReply.EmptyData)]
    [InlineData(UnknownTaskReply.TaskNotFound)]
    public async Task InferenceLost_ResubmissionUnderTheSameTaskUuidRefusedAsTheDocsRequire_JobEndsWithRunwareTaskMissing(UnknownTaskReply unknown)
    {
        await using var runware = await DocumentedRunware.StartAsync(unknown, loseFirst: 1);
        await using var p = await PipelineHarness.CreateAsync(azurite);
        await p.StartRunnerAsync(new Dictionary<string, string> { ["Runware__BaseUrl"] = runware.ApiUrl.ToString(), ["Flux__TaskSilenceSeconds"] = "2" });

        await p.DropAsync("canny/lost/house.json", SampleJobs.Options("a stone house"));
        await p.DropAsync("canny/lost/house.jpg", SampleJobs.Photo(640, 480, 2));
        var (manifests, failures) = await p.WaitForOutcomesAsync(1, Bound);

        Assert.Empty(manifests);
        var error = Assert.Single(failures).Json["error"]!;
        Assert.Equal("runwareTaskMissing", (string?)error["code"]);
        Assert.Contains("a refusal of the duplicate taskUUID", (string?)error["message"], StringComparison.Ordinal);
        var submissions = runware.Tasks("imageInference").ToList();
        Assert.Equal(2, submissions.Count);
        Assert.Single(submissions.Select(t => (string?)t["taskUUID"]).Distinct());
        var refusal = Assert.Single(runware.Refusals);
        Assert.Equal("duplicateTaskUUID", (string?)refusal["code"]);
        Assert.Contains(runware.Tasks("getTaskDetails"), t => (string?)t["taskUUID"] == (string?)submissions[0]["taskUUID"]);
    }
}
