using Azure.Storage.Blobs;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// The pipeline's containers as a deployment used for a while has them: <c>jobs</c> earlier blob drops (image and
/// options file each) already handled, named in the watcher's checkpoint as a runner that stopped cleanly leaves it,
/// and those jobs' outputs (manifest and result). A runner started on them lists every input in each watcher pass.
/// </summary>
internal static class UsedContainers
{
    public static async Task FillAsync(BlobServiceClient blobs, JobContainers containers, int jobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(containers);
        var inputs = blobs.GetBlobContainerClient(containers.Inputs);
        var outputs = blobs.GetBlobContainerClient(containers.Outputs);
        var work = blobs.GetBlobContainerClient(containers.Work);
        foreach (var c in new[] { inputs, outputs, work })
        {
            await c.CreateIfNotExistsAsync();
        }

        var photos = CapacityScenario.DropPhotos();
        var handled = new Dictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var name = $"redux/used/job-{i:0000}";
            await inputs.GetBlobClient(name + ".json").UploadAsync(BinaryData.FromString("{}"), overwrite: true);
            await inputs.GetBlobClient(name + ".jpg").UploadAsync(BinaryData.FromBytes(photos[i % photos.Length]), overwrite: true);
            await outputs.GetBlobClient(name + "/manifest.json").UploadAsync(BinaryData.FromString("{}"), overwrite: true);
            await outputs.GetBlobClient(name + "/result.png").UploadAsync(BinaryData.FromBytes(photos[i % photos.Length]), overwrite: true);
        });

        // The checkpoint's blob and shape are the runner's (Watching/WatchCheckpoint.cs): input name → ETag as its listing gives it.
        await foreach (var item in inputs.GetBlobsAsync())
        {
            handled[item.Name] = item.Properties.ETag?.ToString() ?? "";
        }

        await work.GetBlobClient("watcher/checkpoint.json").UploadAsync(BinaryData.FromObjectAsJson(handled), overwrite: true);
    }
}
