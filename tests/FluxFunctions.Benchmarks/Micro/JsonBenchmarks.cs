using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Runware;

namespace FluxFunctions.Benchmarks.Micro;

/// <summary>JSON building: options parsed and validated, the Runware task of each tool, the manifest of a finished job.</summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private static readonly byte[] Options = Encoding.UTF8.GetBytes(
        """{"tool":"canny","prompt":"a watercolour village at sunset","width":1024,"height":1024,"steps":28,"cfgScale":3.5,"seed":42,"numberResults":2,"outputFormat":"PNG","preprocess":{"mode":"local","lowThreshold":80,"highThreshold":160}}""");

    private EditSpec spec = null!;
    private JobRequest job = null!;
    private JobFacts facts = null!;
    private StoredResults stored = null!;

    [GlobalSetup]
    public void Setup()
    {
        spec = ParseAndValidate();
        var image = new BlobRef("flux-inputs", "canny/bench/village.jpg", "\"0x8DC0\"");
        job = new JobRequest
        {
            JobId = "b0123456789abcdef0123456789abcde",
            Origin = JobOrigin.Blob,
            Image = image,
            BaseName = "canny/bench/village",
            CreatedAt = DateTimeOffset.UnixEpoch,
            Settings = new JobSettings("flux-outputs", "flux-failed", 60, 5, 900, 1000, 8000, 6, "upload", null),
        };
        var seed = new PreparedBlob(new BlobRef("flux-work", "b0123/seed.png"), "image/png", 1024, 1024, 123_456, false);
        var prepared = new PreparedInputs(seed, null, 1024, 1024, 1024, 1024, [], new JsonObject { ["steps"] = new JsonArray("decode", "canny", "encode") }, null, null, null, [new TransferredImages(Guid.NewGuid().ToString(), null, 170_000)]);
        stored = new StoredResults(
            [new OutputImage(0, "flux-outputs", "canny/bench/village/b0123/0.png", 1024, 1024, 42, OutputFormat.PNG, 0.0019),
             new OutputImage(1, "flux-outputs", "canny/bench/village/b0123/1.png", 1024, 1024, 43, OutputFormat.PNG, 0.0019)],
            null,
            null);
        var inference = new InferenceOutcome(0, Guid.NewGuid().ToString(), Task(), SubmitOutcome.Accepted, 0, 0,
            new PollInferenceResult(PollStatus.Success, [new GeneratedResult("img-0", "https://im.example/0.png", 42, 0.0019), new GeneratedResult("img-1", "https://im.example/1.png", 43, 0.0019)], null), "watch");
        var timings = new Dictionary<string, double> { ["queued"] = 12.5, ["preparing"] = 2490.3, ["storing"] = 120.4 };
        facts = new JobFacts(job, spec, null, null, prepared, null, [inference], timings, new Dictionary<string, int> { ["preparing"] = 1 });
    }

    [Benchmark]
    public EditSpec ParseAndValidate()
    {
        var parsed = EditOptionsParser.Parse(Options, allowImages: false);
        return EditSpecValidator.Validate(parsed.Options!).Spec!;
    }

    [Benchmark]
    public JsonObject Task() => RunwareTaskBuilder.BuildInference(spec, new InferenceImages(Guid.NewGuid().ToString()), Guid.NewGuid(), 1024, 1024);

    [Benchmark]
    public string TaskJson() => Task().ToJsonString();

    [Benchmark]
    public string ManifestJson() =>
        JobRecords.Manifest(facts, stored, DateTimeOffset.UnixEpoch).ToJsonString(JobRecords.JsonOptions);
}
