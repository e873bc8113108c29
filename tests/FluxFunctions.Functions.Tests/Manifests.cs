using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace FluxFunctions.Functions.Tests;

/// <summary>The manifests the pipeline wrote to <c>flux-outputs</c>, for tests that wait for a job's end.</summary>
internal static class Manifests
{
    /// <summary>Lists the manifests under <paramref name="prefix"/> every 250 ms until there are <paramref name="count"/> or <paramref name="timeout"/> has passed.</summary>
    public static async Task<List<JsonNode>> WaitAsync(BlobServiceClient blobs, string prefix, int count, TimeSpan timeout)
    {
        var outputs = blobs.GetBlobContainerClient("flux-outputs");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = new List<JsonNode>();
            if (await outputs.ExistsAsync())
            {
                await foreach (var item in outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
                {
                    if (item.Name.EndsWith("/manifest.json", StringComparison.Ordinal))
                    {
                        found.Add(JsonNode.Parse((await outputs.GetBlobClient(item.Name).DownloadContentAsync()).Value.Content.ToString())!);
                    }
                }
            }

            if (found.Count >= count || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(250);
        }
    }
}
