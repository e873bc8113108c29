using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>One job to submit: tool, input image, optional Fill mask, options JSON, and a folder name for its outputs.</summary>
internal sealed record JobInput(string Tool, string Name, byte[] Image, byte[]? Mask, string Options);

/// <summary>What became of a job: when it was seen finished (stopwatch time), its manifest or failure record.</summary>
internal sealed record JobOutcome(string JobId, TimeSpan SeenAt, bool Completed, JsonNode Record, string Blob);

/// <summary>The pipeline's five containers (the runner's <c>Flux__*Container</c> settings).</summary>
internal sealed record JobContainers(string Inputs, string Outputs, string Failed, string Work, string Quarantine)
{
    /// <summary>The runner's defaults (<see cref="FluxFunctions.Core.Configuration.FluxOptions"/>'s).</summary>
    public static readonly JobContainers Default = FromOptions(new FluxFunctions.Core.Configuration.FluxOptions());

    private static JobContainers FromOptions(FluxFunctions.Core.Configuration.FluxOptions o) =>
        new(o.InputContainer, o.OutputContainer, o.FailedContainer, o.WorkContainer, o.QuarantineContainer);

    /// <summary>The runner settings that name them.</summary>
    public IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["Flux__InputContainer"] = Inputs,
        ["Flux__OutputContainer"] = Outputs,
        ["Flux__FailedContainer"] = Failed,
        ["Flux__WorkContainer"] = Work,
        ["Flux__QuarantineContainer"] = Quarantine,
    };
}

/// <summary>Submits jobs with <c>POST /api/edits</c> (multipart) and watches the outputs and failures containers for their records.</summary>
internal sealed class JobClient(HttpClient http, BlobServiceClient blobs, string apiKey, Stopwatch clock, JobContainers? containers = null)
{
    private readonly BlobContainerClient outputs = blobs.GetBlobContainerClient((containers ?? JobContainers.Default).Outputs);
    private readonly BlobContainerClient failed = blobs.GetBlobContainerClient((containers ?? JobContainers.Default).Failed);

    public Stopwatch Clock => clock;

    /// <summary>Submits a job to the runner at <paramref name="runner"/>; returns its id.</summary>
    public async Task<string> SubmitAsync(Uri runner, JobInput job)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var form = new MultipartFormDataContent();
        var image = new ByteArrayContent(job.Image);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(image, "image", job.Name + ".jpg");
        if (job.Mask is not null)
        {
            var mask = new ByteArrayContent(job.Mask);
            mask.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(mask, "mask", job.Name + ".mask.png");
        }

        form.Add(new StringContent(job.Options), "options");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(runner, "api/edits")) { Content = form };
        request.Headers.Add("x-functions-key", apiKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"POST /api/edits answered {(int)response.StatusCode}: {body}");
        }

        return (string)JsonNode.Parse(body)!["id"]!;
    }

    private const int CloseBelow = 8;
    private static readonly TimeSpan CloseInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Waits until every job in <paramref name="jobIds"/> has a manifest or a failure record, listing the containers every
    /// <paramref name="interval"/> (every 25 ms at most once no more than eight are open); each outcome carries the
    /// stopwatch time its record was first seen. Jobs still open at <paramref name="timeout"/> are missing from the result.
    /// With <paramref name="closely"/> false the interval stays as given (when the time a record appeared does not matter,
    /// only that it did, and the listings should load the storage service as little as they can).
    /// </summary>
    public async Task<Dictionary<string, JobOutcome>> WaitAsync(IReadOnlyCollection<string> jobIds, TimeSpan interval, TimeSpan timeout, string prefix = "", bool closely = true)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var wanted = new HashSet<string>(jobIds, StringComparer.Ordinal);
        var seen = new Dictionary<string, (TimeSpan At, bool Completed, string Blob)>(StringComparer.Ordinal);
        var deadline = clock.Elapsed + timeout;
        while (seen.Count < wanted.Count && clock.Elapsed < deadline)
        {
            var now = clock.Elapsed;
            await foreach (var blob in outputs.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
            {
                if (blob.Name.EndsWith("/manifest.json", StringComparison.Ordinal))
                {
                    var parts = blob.Name.Split('/');
                    var id = parts[^2];
                    if (wanted.Contains(id) && !seen.ContainsKey(id))
                    {
                        seen[id] = (now, true, blob.Name);
                    }
                }
            }

            await foreach (var blob in failed.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
            {
                var id = Path.GetFileNameWithoutExtension(blob.Name.Split('/')[^1]);
                if (wanted.Contains(id) && !seen.ContainsKey(id))
                {
                    seen[id] = (now, false, blob.Name);
                }
            }

            if (seen.Count < wanted.Count)
            {
                // The last few open jobs are looked for closely, so a batch's end is not the granularity of this listing.
                await Task.Delay(closely && wanted.Count - seen.Count <= CloseBelow && interval > CloseInterval ? CloseInterval : interval);
            }
        }

        var result = new Dictionary<string, JobOutcome>(StringComparer.Ordinal);
        foreach (var (id, s) in seen)
        {
            var container = s.Completed ? outputs : failed;
            var json = JsonNode.Parse((await container.GetBlobClient(s.Blob).DownloadContentAsync()).Value.Content.ToString())!;
            result[id] = new JobOutcome(id, s.At, s.Completed, json, s.Blob);
        }

        return result;
    }

    /// <summary>Every blob under <c>flux-outputs</c> whose path contains one of the jobs (duplicate checks).</summary>
    public async Task<List<string>> OutputBlobsAsync(string prefix = "")
    {
        var names = new List<string>();
        await foreach (var blob in outputs.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
