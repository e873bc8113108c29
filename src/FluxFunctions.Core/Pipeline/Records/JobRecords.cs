using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>What storing a job's results produced, for its manifest.</summary>
/// <param name="Outputs">The stored images.</param>
/// <param name="Report">What finishing did, per image.</param>
/// <param name="ColorMatch">Fill with stitching: colour matching per image (outer list) and crop (inner list).</param>
public sealed record StoredResults(IReadOnlyList<OutputImage> Outputs, JsonObject? Report, IReadOnlyList<IReadOnlyList<ColorMatchReport>>? ColorMatch);

/// <summary>
/// The manifest of a finished job and the failure record of a failed one (SPEC §2), each built in one piece from what the
/// job learned (<see cref="JobFacts"/>). Never contains a secret: no API key, no SAS token (SAS URLs are reduced to their
/// blob path), no webhook token.
/// </summary>
public static class JobRecords
{
    public const int SchemaVersion = 1;

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions CamelCase = new(JsonSerializerDefaults.Web);

    /// <summary>The manifest of a completed job.</summary>
    public static JsonObject Manifest(JobFacts facts, StoredResults stored, DateTimeOffset completedAt)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(stored);
        var spec = facts.Spec ?? throw new ArgumentException("A completed job has options.", nameof(facts));
        var prepared = facts.Prepared ?? throw new ArgumentException("A completed job was prepared.", nameof(facts));
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
            if (o.Flagged)
            {
                images[^1]!["flagged"] = true;
            }

            if (o.Quarantined)
            {
                images[^1]!["quarantined"] = true;
            }
        }

        var manifest = new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["jobId"] = facts.Job.JobId,
            ["status"] = "completed",
            ["tool"] = spec.Tool.Name(),
            ["source"] = Source(facts.Job, facts.Options, facts.Mask, facts.Defaults),
            ["prompt"] = spec.Prompt,
            ["parameters"] = WithoutCallbackQuery(JsonSerializer.SerializeToNode(spec, CamelCase)),
            ["runware"] = Runware(facts),
            ["sizes"] = new JsonObject
            {
                ["original"] = new JsonObject { ["width"] = prepared.OriginalWidth, ["height"] = prepared.OriginalHeight },
                ["sent"] = new JsonObject { ["width"] = prepared.Width, ["height"] = prepared.Height },
                ["seedPassthrough"] = prepared.Seed.Passthrough,
            },
            ["preparation"] = prepared.Report?.DeepClone(),
            ["finishing"] = stored.Report?.DeepClone(),
            ["warnings"] = new JsonArray(prepared.Warnings.Select(w => (JsonNode?)w).ToArray()),
            ["images"] = images,
            ["timingsMs"] = Timings(facts.TimingsMs),
            ["attempts"] = Attempts(facts.Attempts),
            ["createdAt"] = facts.Job.CreatedAt,
            ["completedAt"] = completedAt,
        };
        if (spec.Safety.Enabled)
        {
            var flagged = stored.Outputs.Where(o => o.Flagged).Select(o => o.Index).ToList();
            manifest["safety"] = SafetyVerdict.ToJson(spec.Safety, flagged, stored.Outputs.Where(o => o.Quarantined).Select(o => $"{o.Container}/{o.Blob}"));
        }

        FillRecord.AddTo(manifest, spec, prepared, facts.Inferences, stored);
        return manifest;
    }

    /// <summary>Blob metadata key of a manifest: how many of its results Runware's safety check flagged (absent: none).</summary>
    public const string FlaggedMetadata = "flagged";

    /// <summary>Blob metadata key of a manifest: how many of its results went to the quarantine container (absent: none).</summary>
    public const string QuarantinedMetadata = "quarantined";

    /// <summary>The metadata a manifest is written with, so batch listings count flagged and quarantined jobs without opening it.</summary>
    public static IDictionary<string, string>? ManifestMetadata(IReadOnlyList<OutputImage> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var flagged = outputs.Count(o => o.Flagged);
        if (flagged == 0)
        {
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [FlaggedMetadata] = flagged.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var quarantined = outputs.Count(o => o.Quarantined);
        if (quarantined > 0)
        {
            metadata[QuarantinedMetadata] = quarantined.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    /// <summary>Blob metadata key of a failure record holding its error code (read by batch listings without opening it).</summary>
    public const string ErrorCodeMetadata = "errorcode";

    /// <summary>Blob metadata key of a failure record holding the stage it failed in.</summary>
    public const string StageMetadata = "stage";

    /// <summary>
    /// The metadata a failure record is written with: its error code and stage, each only when it is a plain ASCII token
    /// (metadata values are HTTP headers); a listing that finds no code opens the record instead.
    /// </summary>
    public static Dictionary<string, string> FailureMetadata(FluxError error, string stage)
    {
        ArgumentNullException.ThrowIfNull(error);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (IsToken(error.Code))
        {
            metadata[ErrorCodeMetadata] = error.Code;
        }

        if (IsToken(stage))
        {
            metadata[StageMetadata] = stage;
        }

        return metadata;
    }

    private static bool IsToken(string? value) =>
        value is { Length: > 0 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    /// <summary>The failure record of a job that failed in <paramref name="stage"/>.</summary>
    public static JsonObject Failure(JobFacts facts, FluxError error, string stage, DateTimeOffset failedAt)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(error);
        var runware = Runware(facts);
        if (facts.InFlight is { Count: > 0 } inFlight && runware["tasks"] is null)
        {
            runware["inFlightTaskUUIDs"] = new JsonArray(inFlight.Select(t => (JsonNode?)t).ToArray());
        }

        return new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["jobId"] = facts.Job.JobId,
            ["status"] = "failed",
            ["tool"] = facts.Job.Tool?.Name(),
            ["error"] = new JsonObject
            {
                ["code"] = error.Code,
                ["message"] = error.Message,
                ["parameter"] = error.Parameter,
            },
            ["stage"] = stage,
            ["attempts"] = Attempts(facts.Attempts),
            ["attemptsInStage"] = facts.Attempts.GetValueOrDefault(stage),
            ["source"] = Source(facts.Job, null, null, null),
            ["runware"] = runware,
            ["timingsMs"] = Timings(facts.TimingsMs),
            ["createdAt"] = facts.Job.CreatedAt,
            ["failedAt"] = failedAt,
        };
    }

    /// <summary>
    /// What Runware was asked and answered: how the images reached it, the guide it made, and every inference
    /// (<c>runware.tasks</c>; the first's model, taskUUID, request, submission, polls and delivery stay at <c>runware.*</c>
    /// as for a single inference), with the total cost it reported.
    /// </summary>
    private static JsonObject Runware(JobFacts facts)
    {
        var runware = new JsonObject();
        var settings = facts.Job.Settings;
        if (facts.Prepared is { } prepared)
        {
            runware["imageTransfer"] = settings.ImageTransfer;
            runware["bytesSent"] = prepared.Transfers.Sum(t => t.BytesSent);
        }

        if (facts.Guide is { } guide)
        {
            runware["preprocessTaskUUID"] = guide.TaskUuid;
            runware["preprocessCost"] = guide.Cost;
        }

        if (settings.WebhookBaseUrl is { } webhookBase && facts.Inferences.Count > 0)
        {
            runware["webhook"] = RunwareWebhookTokens.DisplayUrl(webhookBase, facts.Job.JobId);
        }

        if (facts.Inferences.Count > 0)
        {
            var first = facts.Inferences[0];
            runware["model"] = first.Model;
            runware["inferenceTaskUUID"] = first.TaskUuid;
            runware["request"] = first.Request.DeepClone();
            if (first.Submitted is { } submitted)
            {
                runware["submitted"] = submitted.ToString();
            }

            if (first.Polls > 0)
            {
                runware["polls"] = first.Polls;
            }

            if (first.Delivery is { } delivery)
            {
                runware["resultDelivery"] = delivery;
            }

            if (facts.Inferences.Sum(o => o.Resubmissions) is var resubmissions and > 0)
            {
                runware["resubmissions"] = resubmissions;
            }

            runware["tasks"] = new JsonArray(facts.Inferences.Select(o => (JsonNode?)o.ToJson()).ToArray());
            if (facts.Inferences.All(o => o.Result.Status == PollStatus.Success))
            {
                runware["cost"] = Sum(facts.Inferences.Select(o => o.Cost).Append(facts.Guide?.Cost));
            }
        }

        return Sanitize(runware);
    }

    private static double? Sum(IEnumerable<double?> values)
    {
        double? total = null;
        foreach (var v in values)
        {
            if (v is { } d)
            {
                total = (total ?? 0) + d;
            }
        }

        return total;
    }

    private static JsonObject Source(JobRequest job, BlobRef? options, BlobRef? mask, IReadOnlyList<BlobRef>? defaults)
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

        if (defaults is { Count: > 0 })
        {
            // The folder defaults the options were merged from, shallowest first (the image's own options, above, last).
            source["defaults"] = new JsonArray([.. defaults.Select(d => (JsonNode)new JsonObject { ["blob"] = d.Name, ["etag"] = d.ETag })]);
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
