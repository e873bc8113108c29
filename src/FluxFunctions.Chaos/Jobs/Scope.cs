using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using FluxFunctions.Chaos.Stack;

namespace FluxFunctions.Chaos.Jobs;

/// <summary>A job the driver started: by a blob drop (id known from the upload's ETag) or over HTTP.</summary>
internal sealed record DroppedJob(string Id, string Blob, string Kind);

/// <summary>A manifest or failure record found in the output containers.</summary>
internal sealed record Outcome(string JobId, string Blob, JsonNode Json);

/// <summary>What became of the jobs of a scenario.</summary>
internal sealed record Outcomes(IReadOnlyList<Outcome> Manifests, IReadOnlyList<Outcome> Failures)
{
    /// <summary>Jobs with no manifest and no failure record.</summary>
    public IReadOnlyList<DroppedJob> Lost(IEnumerable<DroppedJob> jobs)
    {
        var done = Manifests.Select(m => m.JobId).Concat(Failures.Select(f => f.JobId)).ToHashSet();
        return jobs.Where(j => !done.Contains(j.Id)).ToList();
    }

    /// <summary>Jobs that ended more than once: two manifests for one input, or both a manifest and a failure record.</summary>
    public int Duplicated()
    {
        var byInput = Manifests.GroupBy(m => (string?)m.Json["source"]?["blob"] ?? m.JobId).Sum(g => g.Count() - 1);
        var both = Manifests.Select(m => m.JobId).Intersect(Failures.Select(f => f.JobId)).Count();
        return byInput + both;
    }

    /// <summary>Failure records without a specific code (internal errors are not an explanation).</summary>
    public IReadOnlyList<Outcome> Unexplained() =>
        Failures.Where(f => (string?)f.Json["error"]?["code"] is null or "" or "internalError").ToList();
}

/// <summary>
/// One scenario's own corner of the storage account: its task hub and containers, so scenarios never see each other's
/// jobs. Drops blobs, computes their job ids as the pipeline does, and collects manifests and failure records.
/// </summary>
internal sealed class Scope
{
    private readonly ChaosStack stack;

    public Scope(ChaosStack stack, string name)
    {
        this.stack = stack;
        Name = name;
        var service = new BlobServiceClient(stack.ConnectionString);
        Inputs = service.GetBlobContainerClient($"{name}-inputs");
        Outputs = service.GetBlobContainerClient($"{name}-outputs");
        Failed = service.GetBlobContainerClient($"{name}-failed");
    }

    public string Name { get; }

    public BlobContainerClient Inputs { get; }

    public BlobContainerClient Outputs { get; }

    public BlobContainerClient Failed { get; }

    public Task CreateAsync() => Inputs.CreateIfNotExistsAsync();

    /// <summary>The runner's settings for this scope (environment variables).</summary>
    public Dictionary<string, string> RunnerSettings(EmulatorHandle emulator, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = stack.ConnectionString,
            ["Runware__BaseUrl"] = emulator.ApiUrl.ToString(),
            ["Runware__ApiKey"] = stack.RunwareKey,
            ["Runware__AttemptTimeoutSeconds"] = "4",
            ["Runware__TotalTimeoutSeconds"] = "40",
            ["Runware__RetryBaseDelayMs"] = "200",
            ["Durable__HubName"] = "chaos" + Name.Replace("-", "", StringComparison.Ordinal),
            ["Durable__MaxQueuePollingIntervalMs"] = "500",
            ["Durable__PartitionLeaseSeconds"] = "10",
            ["Durable__WorkItemVisibilitySeconds"] = "10",
            ["Durable__ControlQueueVisibilitySeconds"] = "15",
            ["Flux__InputContainer"] = Inputs.Name,
            ["Flux__OutputContainer"] = Outputs.Name,
            ["Flux__FailedContainer"] = Failed.Name,
            ["Flux__WorkContainer"] = $"{Name}-work",
            ["Flux__WatchIntervalMs"] = "300",
            ["Flux__PollInitialDelayMs"] = "300",
            ["Flux__PollMaxDelayMs"] = "1000",
            ["Flux__CompanionWaitSeconds"] = "20",
            ["Flux__OptionalCompanionWaitSeconds"] = "1",
            ["Flux__MaxConcurrentInferences"] = "16",
            ["Flux__ApiKeys__0"] = stack.HttpKey,
            ["Flux__AllowPrivateNetworkUrls"] = "true",
            ["Logging__LogLevel__Default"] = "Information",
        };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string>())
        {
            settings[k] = v;
        }

        return settings;
    }

    /// <summary>Uploads a blob; returns its ETag.</summary>
    public async Task<string> PutAsync(string name, byte[] bytes)
    {
        var response = await Inputs.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
        return response.Value.ETag.ToString();
    }

    /// <summary>Uploads a job's input (after its companions) and returns the job it starts.</summary>
    public async Task<DroppedJob> DropAsync(string name, byte[] bytes, string kind, string? options = null, byte[]? mask = null)
    {
        var stem = name[..name.LastIndexOf('.')];
        if (options is not null)
        {
            await PutAsync(stem + ".json", Encoding.UTF8.GetBytes(options));
        }

        if (mask is not null)
        {
            await PutAsync(stem + ".mask.png", mask);
        }

        var etag = await PutAsync(name, bytes);
        return new DroppedJob(JobId(Inputs.Name, name, etag), name, kind);
    }

    /// <summary>A valid job of one of the four tools (small images, so a batch is quick).</summary>
    public Task<DroppedJob> DropValidAsync(string folder, int i)
    {
        var prompt = $"chaos {Name} job {i}: a lighthouse on a cliff at dusk";
        return (i % 4) switch
        {
            0 => DropAsync($"fill/{folder}/f{i}.jpg", ChaosImages.Photo(384, 256, i), "valid", $$"""{"prompt":"{{prompt}}"}""", ChaosImages.Mask(384, 256)),
            1 => DropAsync($"canny/{folder}/c{i}.png", ChaosImages.Photo(320, 320, i, SkiaSharp.SKEncodedImageFormat.Png), "valid", $$"""{"prompt":"{{prompt}}"}"""),
            2 => DropAsync($"depth/{folder}/d{i}.jpg", ChaosImages.Photo(384, 256, i), "valid", $$"""{"prompt":"{{prompt}}"}"""),
            _ => DropAsync($"redux/{folder}/r{i}.webp", ChaosImages.Photo(256, 384, i, SkiaSharp.SKEncodedImageFormat.Webp), "valid", """{"numberResults":1}"""),
        };
    }

    /// <summary>Every manifest and failure record of this scope.</summary>
    public async Task<Outcomes> OutcomesAsync()
    {
        var manifests = new List<Outcome>();
        var failures = new List<Outcome>();
        if (await Outputs.ExistsAsync())
        {
            await foreach (var item in Outputs.GetBlobsAsync())
            {
                if (item.Name.EndsWith("/manifest.json", StringComparison.Ordinal))
                {
                    var json = await ReadAsync(Outputs, item.Name);
                    manifests.Add(new Outcome((string?)json["jobId"] ?? item.Name.Split('/')[^2], item.Name, json));
                }
            }
        }

        if (await Failed.ExistsAsync())
        {
            await foreach (var item in Failed.GetBlobsAsync())
            {
                if (item.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    var json = await ReadAsync(Failed, item.Name);
                    failures.Add(new Outcome((string?)json["jobId"] ?? Path.GetFileNameWithoutExtension(item.Name), item.Name, json));
                }
            }
        }

        return new Outcomes(manifests, failures);
    }

    /// <summary>Waits until every job has an outcome (or the deadline passes), then a little longer to catch duplicates.</summary>
    public async Task<Outcomes> WaitForOutcomesAsync(IReadOnlyCollection<DroppedJob> jobs, DateTime deadline, Action? onPoll = null)
    {
        Outcomes outcomes;
        while (true)
        {
            onPoll?.Invoke();
            try
            {
                outcomes = await OutcomesAsync();
                if (outcomes.Lost(jobs).Count == 0 || DateTime.UtcNow > deadline)
                {
                    break;
                }
            }
            catch (Azure.RequestFailedException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(1000);
        }

        await Task.Delay(3000);
        return await OutcomesAsync();
    }

    private static async Task<JsonNode> ReadAsync(BlobContainerClient container, string name)
    {
        var content = (await container.GetBlobClient(name).DownloadContentAsync()).Value.Content;
        return JsonNode.Parse(content.ToString()) ?? new JsonObject();
    }

    // Mirrors FluxFunctions.Core.Storage.JobIds.ForBlob (the driver is a user of the pipeline and does not reference Core).
    public static string JobId(string container, string name, string etag) =>
        "b" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{name}\n{etag.Trim('"')}")))[..31];
}
