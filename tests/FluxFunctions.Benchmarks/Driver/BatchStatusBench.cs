using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs.Models;
using FluxFunctions.Api;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// <c>--batch-status [--images N]</c> (default 10,000): seeds N input images under one folder of an in-memory Azurite,
/// with a manifest and one result image for 70 % of them, a failure record (with its code metadata) for 20 % and nothing for the rest, then
/// times <see cref="BatchStatusReader.ReadAsync"/> — the handler of <c>GET /api/batches/{tool}/{path}</c> without the
/// stage lookups (no durable client; they are point reads capped at 100) — five times and prints each answer time
/// beside the target (under 1 s).
/// </summary>
internal static class BatchStatusBench
{
    private const string Prefix = "canny/bench/";

    public static async Task<int> RunAsync(int images)
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var options = Options.Create(new FluxOptions());
            var storage = new FluxStorage(azurite.BlobService, options);
            await storage.EnsureContainersAsync();
            var seeding = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, images), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            {
                var name = $"{Prefix}{i / 1000:D2}/img{i:D5}.jpg";
                var upload = await storage.Inputs.GetBlobClient(name).UploadAsync(BinaryData.FromBytes([0xFF, 0xD8, 0xFF]), ct);
                var jobId = JobIds.ForBlob(options.Value.InputContainer, name, upload.Value.ETag.ToString());
                var baseName = name[..^4];
                var body = BinaryData.FromString($$$"""{"jobId":"{{{jobId}}}","error":{"code":"missingCompanion","message":"seeded"} }""");
                if (i % 10 < 7)
                {
                    // As a job leaves it: its result image beside the manifest, both listed under the prefix.
                    var outputPrefix = OutputLayout.OutputPrefix(baseName, jobId);
                    await storage.Outputs.GetBlobClient($"{outputPrefix}0.png").UploadAsync(BinaryData.FromBytes([0x89, 0x50, 0x4E, 0x47]), ct);
                    await storage.Outputs.GetBlobClient(OutputLayout.Manifest(outputPrefix)).UploadAsync(body, ct);
                }
                else if (i % 10 < 9)
                {
                    var code = i % 2 == 0 ? ErrorCodes.MissingCompanion : ErrorCodes.InvalidType;
                    await storage.Failed.GetBlobClient(OutputLayout.FailureRecord(baseName, jobId)).UploadAsync(
                        body,
                        new BlobUploadOptions { Metadata = JobRecords.FailureMetadata(new FluxError(code, "seeded"), Stages.WaitingForCompanions) },
                        ct);
                }
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-status: seeded {images} images ({images * 9 / 10} records) in {seeding.Elapsed.TotalSeconds:F1} s"));

            var reader = new BatchStatusReader(storage, TimeProvider.System, NullLogger<BatchStatusReader>.Instance);
            var times = new List<double>();
            for (var round = 0; round < 5; round++)
            {
                var watch = Stopwatch.StartNew();
                var status = await reader.ReadAsync(Prefix, client: null);
                times.Add(watch.Elapsed.TotalMilliseconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-status: round {round + 1}: {watch.Elapsed.TotalMilliseconds:F0} ms — total {status.Total}, completed {status.Completed}, failed {status.Failed}, in progress {status.InProgress}"));
            }

            // The floor: the same three listings, bare (no parsing, no job ids), one after the other and in parallel.
            foreach (var (label, container, traits) in new[] { ("inputs", storage.Inputs, BlobTraits.None), ("outputs (manifests and images)", storage.Outputs, BlobTraits.Metadata), ("failures", storage.Failed, BlobTraits.Metadata) })
            {
                var bare = Stopwatch.StartNew();
                var count = 0;
                await foreach (var _ in container.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix, Traits = traits }))
                {
                    count++;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-status: bare listing of {count} {label}: {bare.Elapsed.TotalMilliseconds:F0} ms"));
            }

            var median = times.Order().ElementAt(times.Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-status answer time for {images} images: median {median:F0} ms, max {times.Max():F0} ms (target < 1000 ms)"));
            return median < 1000 ? 0 : 1;
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }
}
