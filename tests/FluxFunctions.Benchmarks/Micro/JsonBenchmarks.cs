using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Storage;
using FluxFunctions.Core.Tools;

namespace FluxFunctions.Benchmarks.Micro;

/// <summary>JSON building: options parsed and validated, the Runware task of each tool, the manifest of a finished job.</summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private static readonly byte[] Options = Encoding.UTF8.GetBytes(
        """{"tool":"canny","prompt":"a watercolour village at sunset","width":1024,"height":1024,"steps":28,"cfgScale":3.5,"seed":42,"numberResults":2,"outputFormat":"PNG","preprocess":{"mode":"local","lowThreshold":80,"highThreshold":160}}""");

    private EditSpec spec = null!;
    private JobRequest job = null!;
    private PrepareInputsResult prepared = null!;
    private StoreOutputsResult stored = null!;
    private JsonObject runware = null!;
    private Dictionary<string, double> timings = null!;
    private Dictionary<string, int> attempts = null!;

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
            Tool = FluxTool.Canny,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Settings = new JobSettings("flux-outputs", "flux-failed", 60, 5, 900, 1000, 8000, 6, "upload", null),
        };
        var seed = new PreparedBlob(new BlobRef("flux-work", "b0123/seed.png"), "image/png", 1024, 1024, 123_456, false);
        prepared = new PrepareInputsResult(seed, null, 1024, 1024, 1024, 1024, [], new JsonObject { ["steps"] = new JsonArray("decode", "canny", "encode") }, null, null);
        stored = new StoreOutputsResult(
            [new OutputImage(0, "flux-outputs", "canny/bench/village/b0123/0.png", 1024, 1024, 42, OutputFormat.PNG, 0.0019),
             new OutputImage(1, "flux-outputs", "canny/bench/village/b0123/1.png", 1024, 1024, 43, OutputFormat.PNG, 0.0019)],
            null,
            null);
        runware = new JsonObject
        {
            ["imageTransfer"] = "upload",
            ["model"] = "runware:104@1",
            ["inferenceTaskUUID"] = Guid.NewGuid().ToString(),
            ["request"] = Task(),
        };
        timings = new Dictionary<string, double> { ["queued"] = 12.5, ["preparing"] = 390.3, ["submitting"] = 20.3, ["inferring"] = 2100.7, ["storing"] = 120.4, ["writingManifest"] = 15.0 };
        attempts = new Dictionary<string, int> { ["preparing"] = 1 };
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
        Manifests.Completed(job, spec, prepared, stored, runware, null, null, timings, attempts, DateTime.UnixEpoch).ToJsonString(Manifests.JsonOptions);
}
