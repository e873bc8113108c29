using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluxFunctions.Core.Storage;
using FluxFunctions.Core.Telemetry;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// How one Runware inference of a job went (one per Fill crop, else one): the task as last submitted and its result.
/// Returned by the orchestration's <see cref="InferenceStep"/>; the manifest is written from the list of them.
/// </summary>
/// <param name="Crop">The crop (0 when the whole image was sent, and for the other tools).</param>
/// <param name="TaskUuid">The taskUUID of the last submission.</param>
/// <param name="Request">The task JSON as submitted (image references, never image bytes).</param>
/// <param name="Submitted">Accepted or AlreadyKnown; null when Runware refused it.</param>
/// <param name="Polls">Durable getResponse polls of the last submission.</param>
/// <param name="Resubmissions">How often a transiently failed generation was submitted again.</param>
/// <param name="Result">The images, or the error.</param>
/// <param name="Delivery">How the result came: <c>watch</c> (the submitting activity saw it), <c>poll</c> or <c>webhook</c>.</param>
/// <param name="SilenceCheck">When the task showed no sign of life for <c>Flux__TaskSilenceSeconds</c>: what looking it up
/// and submitting it again under the same taskUUID gave (Accepted: submitted again; AlreadyKnown: Runware knew it).</param>
public sealed record InferenceOutcome(
    int Crop,
    string TaskUuid,
    JsonObject Request,
    SubmitOutcome? Submitted,
    int Polls,
    int Resubmissions,
    PollInferenceResult Result,
    string? Delivery = null,
    SubmitOutcome? SilenceCheck = null)
{
    [JsonIgnore]
    public string? Model => (string?)Request["model"];

    /// <summary>Runware's cost for this task's images, when it reported one.</summary>
    [JsonIgnore]
    public double? Cost => Result.Images.Aggregate((double?)null, (sum, i) => i.Cost is { } c ? (sum ?? 0) + c : sum);

    /// <summary>An entry of the manifest's <c>runware.tasks</c>.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["crop"] = Crop,
            ["taskUUID"] = TaskUuid,
            ["model"] = Model,
            ["submitted"] = Submitted?.ToString(),
            ["polls"] = Polls,
            ["status"] = JsonSerializer.SerializeToNode(Result.Status),
            ["resultDelivery"] = Delivery,
            ["cost"] = Cost,
            ["seeds"] = new JsonArray(Result.Images.Select(i => (JsonNode?)i.Seed).ToArray()),
            ["request"] = Request.DeepClone(),
        };
        if (Resubmissions > 0)
        {
            o["resubmissions"] = Resubmissions;
        }

        if (SilenceCheck is { } check)
        {
            o["silenceCheck"] = check.ToString();
        }

        if (Result.Error is { } e)
        {
            o["error"] = new JsonObject { ["code"] = e.Code, ["message"] = e.Message, ["parameter"] = e.Parameter };
        }

        return o;
    }
}

/// <summary>
/// Everything a job learned, from which its manifest or failure record is built (<see cref="JobRecords"/>): references
/// and outcomes, never image bytes.
/// </summary>
/// <param name="Job">The job.</param>
/// <param name="Spec">The options in force, once known.</param>
/// <param name="Options">Blob jobs: the options companion read.</param>
/// <param name="Mask">The mask used.</param>
/// <param name="Prepared">What was prepared for Runware.</param>
/// <param name="Guide">Canny/Depth guide made by Runware.</param>
/// <param name="Inferences">Every inference, in piece order.</param>
/// <param name="TimingsMs">Time per stage so far.</param>
/// <param name="Attempts">Activity attempts per stage so far.</param>
/// <param name="InFlight">Inferences submitted and not answered when the job ended early.</param>
/// <param name="Defaults">Blob jobs: the folder defaults files in force, shallowest first.</param>
public sealed record JobFacts(
    JobRequest Job,
    EditSpec? Spec,
    BlobRef? Options,
    BlobRef? Mask,
    PreparedInputs? Prepared,
    RunwarePreprocessResult? Guide,
    IReadOnlyList<InferenceOutcome> Inferences,
    IReadOnlyDictionary<string, double> TimingsMs,
    IReadOnlyDictionary<string, int> Attempts,
    IReadOnlyList<string>? InFlight = null,
    IReadOnlyList<BlobRef>? Defaults = null)
{
    /// <summary>Trace tags of a stage working on this job.</summary>
    [JsonIgnore]
    public StageTags Tags => new(Job.JobId, Job.Tool?.Name(), Spec is { } s ? s.Tool.Describe().ModelFor(s) : null);
}

/// <summary>Input of <see cref="Activities.FinishJob"/>: store the results, then write the manifest.</summary>
public sealed record FinishJobInput(JobFacts Facts) : ITracedInput
{
    [JsonIgnore]
    public StageTags Tags => Facts.Tags;
}

/// <summary>Output of <see cref="Activities.FinishJob"/>.</summary>
/// <param name="Outputs">The stored images.</param>
/// <param name="ManifestBlob">The manifest written (its presence means the job is complete).</param>
/// <param name="Error">A permanent problem (a result that could not be fetched or finished).</param>
public sealed record FinishJobResult(IReadOnlyList<OutputImage> Outputs, string? ManifestBlob, FluxError? Error) : ITracedOutput;

/// <summary>Fill: the images Runware generated for one crop (<see cref="PreparedCropBlobs.Index"/>).</summary>
public sealed record CropResults(int Crop, IReadOnlyList<GeneratedResult> Images);

/// <summary>Input of <see cref="Activities.WriteFailure"/>: the failure record, written once, and the slots the job still held given back.</summary>
/// <param name="Facts">What the job learned.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Stage">Where.</param>
public sealed record WriteFailureInput(JobFacts Facts, FluxError Error, string Stage) : ITracedInput
{
    [JsonIgnore]
    public StageTags Tags => Facts.Tags;
}
