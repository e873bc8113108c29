using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// Builds the <c>data</c> entries of results, images per <c>outputType</c>, and the outcome of an inference (results
/// evicted from memory or past their <c>ttl</c> are <c>resultExpired</c> errors).
/// </summary>
internal sealed class ResultEntries(ImageStore store, ResultLifetime lifetime)
{
    /// <summary>The acknowledgement of an accepted async inference: <c>{taskType, taskUUID, status: "processing"}</c>.</summary>
    public static JsonObject Acknowledgement(string taskUuid) => new()
    {
        ["taskType"] = TaskTypes.ImageInference,
        ["taskUUID"] = taskUuid,
        ["status"] = "processing",
    };

    /// <summary>Adds <c>{prefix}UUID</c> and the image per output type (<c>{prefix}URL</c>, <c>{prefix}Base64Data</c> or <c>{prefix}DataURI</c>).</summary>
    public static void AddImage(JsonObject entry, string prefix, StoredImage image, OutputType outputType, string publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(image);
        entry[prefix + "UUID"] = image.IdText;
        switch (outputType)
        {
            case OutputType.Base64Data:
                entry[prefix + "Base64Data"] = Convert.ToBase64String(image.Bytes);
                break;
            case OutputType.DataUri:
                entry[prefix + "DataURI"] = $"data:{image.Format.ContentType()};base64,{Convert.ToBase64String(image.Bytes)}";
                break;
            default:
                entry[prefix + "URL"] = publicBaseUrl + image.RelativeUrl;
                break;
        }
    }

    /// <summary>
    /// The outcome of an inference: "processing" entries while it runs; one entry per image when done; the error when it
    /// failed. With <paramref name="withStatus"/> (getResponse, async webhooks) entries carry <c>status</c> and a failure is a
    /// normal answer (HTTP 200); without it (sync delivery) a failure rejects the task (HTTP 400).
    /// </summary>
    public TaskOutcome ForJob(InferenceJob job, string publicBaseUrl, bool withStatus)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = job.Request;
        var result = job.Result;
        if (result is null)
        {
            var processing = Enumerable.Range(0, request.NumberResults).Select(_ => Acknowledgement(job.TaskUuid)).ToArray();
            return TaskOutcome.Ok(processing);
        }

        if (result.Error is { } error)
        {
            return new TaskOutcome([], [withStatus ? error : error with { Status = null }], !withStatus);
        }

        var data = new List<JsonObject>();
        var errors = new List<RunwareError>();
        foreach (var generated in result.Images)
        {
            var gone = !store.TryGet(generated.ImageId, out var image)
                ? $"Image {generated.ImageId:D} of this task was evicted from the emulator's memory (MaxImages / MaxImageBytes)."
                : lifetime.IsExpired(image)
                    ? $"Image {generated.ImageId:D} of this task expired: its time-to-live of {lifetime.TtlSeconds(request)} s has passed (ttl, or Emulator:ResultTtlSeconds)."
                    : null;
            if (gone is not null)
            {
                errors.Add(new RunwareError(ErrorCodes.ResultExpired, gone, null, TaskTypes.ImageInference, job.TaskUuid, withStatus ? "error" : null));
                continue;
            }

            var entry = new JsonObject
            {
                ["taskType"] = TaskTypes.ImageInference,
                ["taskUUID"] = job.TaskUuid,
            };
            if (withStatus)
            {
                entry["status"] = "success";
            }

            AddImage(entry, "image", image, request.OutputType, publicBaseUrl);
            entry["seed"] = generated.Seed;
            if (request.SafetyChecked)
            {
                // "If safety parameter is used, NSFWContent is included" (old-docs api-reference): only then.
                entry["NSFWContent"] = generated.Flagged;
            }
            if (request.IncludeCost)
            {
                entry["cost"] = generated.Cost;
            }

            data.Add(entry);
        }

        return new TaskOutcome(data, errors, errors.Count > 0 && !withStatus);
    }
}
