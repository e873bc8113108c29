using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The manifest of a finished job and the failure record of a failed one (SPEC §2), built from what the orchestration
/// recorded. Never contains a secret: no API key, no SAS token (SAS URLs are reduced to their blob path).
/// </summary>
public static class Manifests
{
    public const int SchemaVersion = 1;

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions CamelCase = new(JsonSerializerDefaults.Web);

    public static JsonObject Completed(
        JobRequest job,
        EditSpec spec,
        PrepareInputsResult prepared,
        StoreOutputsResult stored,
        JsonObject runware,
        BlobRef? options,
        BlobRef? mask,
        IReadOnlyDictionary<string, double> timings,
        IReadOnlyDictionary<string, int> attempts,
        DateTime completedAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(runware);
        var images = new JsonArray();
        foreach (var o in stored.Outputs)
        {
            images.Add(new JsonObject
            {
                ["index"] = o.Index,
                ["blob"] = $"{o.Container}/{o.Blob}",
                ["width"] = o.Width,
                ["height"] = o.Height,
                ["seed"] = o.Seed,
                ["format"] = o.Format.ToString(),
                ["cost"] = o.Cost,
            });
        }

        return new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["jobId"] = job.JobId,
            ["status"] = "completed",
            ["tool"] = spec.Tool.Name(),
            ["source"] = Source(job, options, mask),
            ["prompt"] = spec.Prompt,
            ["parameters"] = WithoutCallbackQuery(JsonSerializer.SerializeToNode(spec, CamelCase)),
            ["runware"] = Sanitize(runware.DeepClone().AsObject()),
            ["sizes"] = new JsonObject
            {
                ["original"] = new JsonObject { ["width"] = prepared.OriginalWidth, ["height"] = prepared.OriginalHeight },
                ["sent"] = new JsonObject { ["width"] = prepared.Width, ["height"] = prepared.Height },
                ["seedPassthrough"] = prepared.Seed?.Passthrough,
            },
            ["preparation"] = prepared.Report?.DeepClone(),
            ["finishing"] = stored.Report?.DeepClone(),
            ["warnings"] = new JsonArray(prepared.Warnings.Select(w => (JsonNode?)w).ToArray()),
            ["images"] = images,
            ["timingsMs"] = Timings(timings),
            ["attempts"] = Attempts(attempts),
            ["createdAt"] = job.CreatedAt,
            ["completedAt"] = new DateTimeOffset(completedAt, TimeSpan.Zero),
        };
    }

    public static JsonObject Failure(
        JobRequest job,
        EditSpec? spec,
        FluxError error,
        string stage,
        IReadOnlyDictionary<string, int> attempts,
        JsonObject runware,
        IReadOnlyDictionary<string, double> timings,
        DateTime failedAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(runware);
        return new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["jobId"] = job.JobId,
            ["status"] = "failed",
            ["tool"] = (spec?.Tool ?? job.Tool)?.Name(),
            ["error"] = new JsonObject
            {
                ["code"] = error.Code,
                ["message"] = error.Message,
                ["parameter"] = error.Parameter,
            },
            ["stage"] = stage,
            ["attempts"] = Attempts(attempts),
            ["attemptsInStage"] = attempts.GetValueOrDefault(stage),
            ["source"] = Source(job, null, null),
            ["runware"] = Sanitize(runware.DeepClone().AsObject()),
            ["timingsMs"] = Timings(timings),
            ["createdAt"] = job.CreatedAt,
            ["failedAt"] = new DateTimeOffset(failedAt, TimeSpan.Zero),
        };
    }

    private static JsonObject Source(JobRequest job, BlobRef? options, BlobRef? mask)
    {
        var source = new JsonObject
        {
            ["origin"] = job.Origin.ToString().ToLowerInvariant(),
            ["container"] = job.Image.Container,
            ["blob"] = job.Image.Name,
            ["etag"] = job.Image.ETag,
        };
        if (options is not null)
        {
            source["options"] = new JsonObject { ["blob"] = options.Name, ["etag"] = options.ETag };
        }

        if (mask is not null)
        {
            source["mask"] = new JsonObject { ["container"] = mask.Container, ["blob"] = mask.Name, ["etag"] = mask.ETag };
        }

        return source;
    }

    private static JsonObject Timings(IReadOnlyDictionary<string, double> timings)
    {
        var o = new JsonObject();
        foreach (var (stage, ms) in timings)
        {
            o[stage] = Math.Round(ms, 1);
        }

        return o;
    }

    private static JsonObject Attempts(IReadOnlyDictionary<string, int> attempts)
    {
        var o = new JsonObject();
        foreach (var (stage, n) in attempts)
        {
            o[stage] = n;
        }

        return o;
    }

    /// <summary>The callback URL's query may hold the receiver's token: the manifest keeps the URL without it.</summary>
    private static JsonNode? WithoutCallbackQuery(JsonNode? parameters)
    {
        if (parameters is JsonObject p && p["callbackUrl"] is JsonValue v && v.TryGetValue<string>(out var url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Query.Length > 0)
        {
            p["callbackUrl"] = uri.GetLeftPart(UriPartial.Path) + "?(query removed)";
        }

        return parameters;
    }

    /// <summary>Replaces SAS-signed URLs (and a webhook URL's token) in the recorded requests (<c>request</c> and each of <c>tasks[].request</c>) by their unsigned form.</summary>
    private static JsonObject Sanitize(JsonObject runware)
    {
        SanitizeRequest(runware["request"] as JsonObject);
        if (runware["tasks"] is JsonArray tasks)
        {
            foreach (var task in tasks.OfType<JsonObject>())
            {
                SanitizeRequest(task["request"] as JsonObject);
            }
        }

        return runware;
    }

    private static void SanitizeRequest(JsonObject? request)
    {
        if (request is not null)
        {
            foreach (var key in new[] { "seedImage", "maskImage", "webhookURL" })
            {
                if (request[key] is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    request[key] = StripQuery(s);
                }
            }

            if (request["ipAdapters"] is JsonArray adapters)
            {
                foreach (var a in adapters.OfType<JsonObject>())
                {
                    if (a["guideImage"] is JsonValue g && g.TryGetValue<string>(out var gs))
                    {
                        a["guideImage"] = StripQuery(gs);
                    }
                }
            }
        }
    }

    private static string StripQuery(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Query)
            ? uri.GetLeftPart(UriPartial.Path) + "?(signature removed)"
            : value;
}
