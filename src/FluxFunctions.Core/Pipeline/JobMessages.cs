using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Imaging;
using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline;

/// <summary>Where a job came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobOrigin>))]
public enum JobOrigin
{
    /// <summary>An image dropped into the input container.</summary>
    Blob,

    /// <summary><c>POST /api/edits</c>.</summary>
    Api,
}

/// <summary>
/// The orchestration's input: references, never image bytes. Settings the orchestration needs are captured here when the
/// job starts, so replays are deterministic and both hosts behave the same.
/// </summary>
public sealed record JobRequest
{
    public required string JobId { get; init; }

    public required JobOrigin Origin { get; init; }

    /// <summary>The input image, pinned to the version the job was started for.</summary>
    public required BlobRef Image { get; init; }

    /// <summary><c>{tool}/{path}/{name}</c>: the base of the output and failure paths.</summary>
    public required string BaseName { get; init; }

    /// <summary>The tool from the folder (blob jobs) or the request (API jobs); null for an unknown tool folder.</summary>
    public FluxTool? Tool { get; init; }

    /// <summary>API jobs: the validated request. Blob jobs: null (options come from the companion file).</summary>
    public EditSpec? Spec { get; init; }

    /// <summary>API jobs: the mask already stored. Blob jobs: null (the companion).</summary>
    public BlobRef? Mask { get; init; }

    /// <summary>Blob jobs: the mask companion's name. </summary>
    public string? MaskCompanion { get; init; }

    /// <summary>Blob jobs: the options companion's name.</summary>
    public string? OptionsCompanion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required JobSettings Settings { get; init; }
}

/// <summary>Pipeline settings captured when a job starts.</summary>
/// <param name="WebhookBaseUrl">Runware reports results to this deployment's webhook route (null: polling only).</param>
/// <param name="WebhookFallbackSeconds">How long to wait for a pushed event (Runware's webhook, the runner's watched result or
/// slot signal) before the job checks for itself.</param>
/// <param name="CallbackMaxAttempts">Attempts to deliver the completion callback.</param>
/// <param name="CallbackRetryDelayMs">First callback retry delay, doubled each time up to 5 minutes.</param>
/// <param name="TaskSilenceSeconds">How long a submitted inference may show no sign of life before it is looked up and
/// submitted again once (<c>Flux__TaskSilenceSeconds</c>).</param>
public sealed record JobSettings(
    string OutputContainer,
    string FailedContainer,
    int CompanionWaitSeconds,
    int OptionalCompanionWaitSeconds,
    int InferenceTimeoutSeconds,
    int PollInitialDelayMs,
    int PollMaxDelayMs,
    int ActivityMaxAttempts,
    string ImageTransfer,
    string? WebhookBaseUrl,
    int WebhookFallbackSeconds = 20,
    int CallbackMaxAttempts = 10,
    int CallbackRetryDelayMs = 2000,
    int TaskSilenceSeconds = 60);

/// <summary>Stages a job moves through; shown as <c>stage</c> by <c>GET /api/edits/{id}</c>.</summary>
public static class Stages
{
    public const string Queued = "queued";
    public const string WaitingForCompanions = "waiting-for-companions";

    /// <summary>Reading, preparing and storing the inputs, and handing them to Runware (upload or SAS URLs).</summary>
    public const string Preparing = "preparing";
    public const string Preprocessing = "preprocessing";
    public const string Submitting = "submitting";
    public const string Inferring = "inferring";
    public const string Storing = "storing";
    public const string WritingManifest = "writing-manifest";
    public const string Notifying = "notifying";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>The orchestration's custom status: where the job is now (serialized as <c>{"stage","detail"}</c>).</summary>
/// <param name="Result">While the completion callback is delivered (<see cref="Stages.Notifying"/>): the job's final result,
/// so the job already reads as ended.</param>
/// <param name="Callback">While the completion callback is delivered: how far its delivery got.</param>
public sealed record JobProgress(
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("detail")] string? Detail = null,
    [property: JsonPropertyName("result")] JobResult? Result = null,
    [property: JsonPropertyName("callback")] CallbackDelivery? Callback = null);

/// <summary>Final state of a job, the orchestration's output.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobOutcome>))]
public enum JobOutcome
{
    Completed,
    Failed,

    /// <summary>Stopped at a user's request (<c>DELETE /api/edits/{id}</c>); nothing written.</summary>
    Canceled,
}

/// <summary>The orchestration's output.</summary>
public sealed record JobResult(
    JobOutcome Outcome,
    string JobId,
    FluxTool? Tool,
    IReadOnlyList<OutputImage> Outputs,
    FluxError? Error = null,
    string? FailedStage = null,
    string? ManifestBlob = null,
    string? FailureBlob = null,
    CallbackDelivery? Callback = null);

/// <summary>One stored result image.</summary>
public sealed record OutputImage(int Index, string Container, string Blob, int Width, int Height, long? Seed, OutputFormat Format, double? Cost);

// ---- activity messages -------------------------------------------------------------------------------------------

/// <summary>Input of <see cref="Activities.ResolveCompanions"/>.</summary>
public sealed record ResolveCompanionsInput(JobRequest Job, bool Final);

/// <summary>What the companions of a blob job say.</summary>
/// <param name="Ready">True when every required companion is there and the options are valid.</param>
/// <param name="Waiting">Names of required companions still missing.</param>
/// <param name="Spec">The validated options.</param>
/// <param name="Mask">The mask companion, pinned to the version read.</param>
/// <param name="Options">The options companion, pinned to the version read.</param>
/// <param name="Error">A permanent problem (invalid options, missing companion on the final check).</param>
public sealed record CompanionsResult(
    bool Ready,
    IReadOnlyList<string> Waiting,
    EditSpec? Spec,
    BlobRef? Mask,
    BlobRef? Options,
    FluxError? Error,
    bool OptionalPending = false);

/// <summary>Input of <see cref="Activities.PrepareInputs"/>.</summary>
/// <param name="Transfer">How the prepared images reach Runware (<c>Runware__ImageTransfer</c>: upload or sas-url).</param>
/// <param name="WebhookBaseUrl">Where Runware posts results (<see cref="SubmitInferenceInput.WebhookBaseUrl"/>) when the activity submits the first inferences itself.</param>
/// <param name="ScheduledAt">When the orchestration scheduled it (<see cref="SubmitInferenceInput.ScheduledAt"/>).</param>
public sealed record PrepareInputsInput(string JobId, BlobRef Image, BlobRef? Mask, EditSpec Spec, string Transfer, string? WebhookBaseUrl = null, DateTimeOffset? ScheduledAt = null);

/// <summary>An image the pipeline prepared and stored in the work container.</summary>
public sealed record PreparedBlob(BlobRef Blob, string ContentType, int Width, int Height, long Bytes, bool Passthrough);

/// <summary>Output of <see cref="Activities.PrepareInputs"/>.</summary>
public sealed record PrepareInputsResult(
    PreparedBlob? Seed,
    PreparedBlob? Mask,
    int OriginalWidth,
    int OriginalHeight,
    int Width,
    int Height,
    IReadOnlyList<string> Warnings,
    JsonObject? Report,
    FillPlacement? Placement,
    FluxError? Error,
    IReadOnlyList<PreparedCropBlobs>? Crops = null,
    ContextDecision? Context = null,
    IReadOnlyList<TransferredImages>? Transfers = null,
    IReadOnlyList<SubmitInferenceResult>? Submissions = null);

/// <summary>
/// Fill: one image pair to send to Runware (the whole image, or a crop around part of the mask; one Runware task each).
/// </summary>
/// <param name="Index">0, 1, … (crop 0 is <see cref="PrepareInputsResult.Seed"/> / <see cref="PrepareInputsResult.Mask"/>).</param>
/// <param name="Seed">The seed image at the sent size.</param>
/// <param name="Mask">The mask at the sent size.</param>
/// <param name="Placement">Where the generated image goes back.</param>
/// <param name="Margin">Context margin in original pixels (0 for the whole image).</param>
public sealed record PreparedCropBlobs(int Index, PreparedBlob Seed, PreparedBlob Mask, FillPlacement Placement, int Margin);

/// <summary>How one piece's prepared images reach Runware (<see cref="ImageTransfer"/>): imageUUIDs after an upload, or SAS URLs.</summary>
/// <param name="Seed">The seed image as Runware takes it.</param>
/// <param name="Mask">The mask as Runware takes it, for Fill.</param>
/// <param name="BytesSent">Request bytes of the uploads (0 with SAS URLs).</param>
public sealed record TransferredImages(string Seed, string? Mask, long BytesSent);

/// <summary>Input of <see cref="Activities.RunwarePreprocess"/>.</summary>
/// <remarks>
/// <c>controlNetPreprocess</c> answers synchronously, so a re-run after a crash cannot pick up the earlier result: each
/// attempt uses a fresh taskUUID (reusing one would be refused as a duplicate) and the one that succeeded is reported.
/// </remarks>
public sealed record RunwarePreprocessInput(string Image, bool Depth, int Width, int Height, int LowThreshold, int HighThreshold);

/// <summary>The guide image made by Runware.</summary>
public sealed record RunwarePreprocessResult(string? GuideImage, double? Cost, FluxError? Error, string? TaskUuid = null);

/// <summary>Input of <see cref="Activities.SubmitInference"/>: the exact task JSON (recorded in the manifest).</summary>
/// <param name="WebhookBaseUrl">When set, the activity adds the task's <c>webhookURL</c> (with its secret token) under it.</param>
/// <param name="ExpectedResults">Generations the task makes (what the watcher waits for).</param>
/// <param name="InDoubt">An earlier submission of this taskUUID may have reached Runware (a retried activity, a head start
/// that failed, a queued submission the host may have made, a task that went silent): look it up before submitting
/// (<see cref="Runware.IRunwareClient.SubmitInferenceAsync"/>).</param>
/// <param name="ScheduledAt">When the orchestration scheduled the call: an activity that starts much later may be a second
/// execution after a crash (<see cref="InferenceSubmissions.DoubtAfter"/>), so it is in doubt too.</param>
public sealed record SubmitInferenceInput(string JobId, string TaskUuid, string TaskJson, string? WebhookBaseUrl = null, int ExpectedResults = 1, bool InDoubt = false, DateTimeOffset? ScheduledAt = null);

/// <summary>Whether the inference was submitted, already known, or must wait for a free slot.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubmitStatus>))]
public enum SubmitStatus
{
    Accepted,
    AlreadyKnown,
    Busy,
    Rejected,
}

/// <summary>Output of <see cref="Activities.SubmitInference"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="ExpectedMs">When to poll first (learned on this host), in milliseconds.</param>
/// <param name="Error">Why Runware rejected it.</param>
/// <param name="Watched">Submitted and watched by this host's <see cref="InferenceWatcher"/>: its result is raised on the job.</param>
/// <param name="Queued">Busy, and queued on this host: it submits the inference on the job's behalf when a slot is free and raises <see cref="InferenceSlots.EventName"/> on the job with the outcome.</param>
/// <param name="QueueWaitMs">Queued: about how long until a slot is free for it (the jobs ahead of it and the learned inference time), in milliseconds.</param>
public sealed record SubmitInferenceResult(SubmitStatus Status, int ExpectedMs, FluxError? Error, bool Watched = false, bool Queued = false, int QueueWaitMs = 0);

/// <summary>Input of <see cref="Activities.PollInference"/>.</summary>
public sealed record PollInferenceInput(string TaskUuid, int ExpectedResults, bool Final);

/// <summary>Output of <see cref="Activities.PollInference"/>.</summary>
/// <param name="Status">What Runware's answer says of the task.</param>
/// <param name="Images">The generations, on success.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Evidence">For <see cref="PollStatus.Silent"/>: what Runware answered.</param>
public sealed record PollInferenceResult(PollStatus Status, IReadOnlyList<GeneratedResult> Images, FluxError? Error, string? Evidence = null)
{
    /// <summary>A failure with <paramref name="error"/>.</summary>
    public static PollInferenceResult Failed(FluxError error) => new(PollStatus.Error, [], error);

    /// <summary>The task is finished: succeeded or failed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsFinal => Status is PollStatus.Success or PollStatus.Error;
}

/// <summary>One image Runware generated.</summary>
public sealed record GeneratedResult(string? ImageUUID, string? ImageURL, long? Seed, double? Cost);

/// <summary>Input of <see cref="Activities.StoreOutputs"/>.</summary>
public sealed record StoreOutputsInput(
    string JobId,
    string OutputPrefix,
    BlobRef Image,
    BlobRef? Mask,
    EditSpec Spec,
    PrepareInputsResult Prepared,
    IReadOnlyList<GeneratedResult> Images,
    IReadOnlyList<CropResults>? Crops = null);

/// <summary>Fill: the images Runware generated for one crop (<see cref="PreparedCropBlobs.Index"/>).</summary>
public sealed record CropResults(int Crop, IReadOnlyList<GeneratedResult> Images);

/// <summary>Output of <see cref="Activities.StoreOutputs"/>.</summary>
/// <param name="Outputs">The stored images.</param>
/// <param name="Report">What finishing did, per image.</param>
/// <param name="Error">A permanent problem.</param>
/// <param name="ColorMatch">Fill with stitching: colour matching per image (outer list) and crop (inner list).</param>
public sealed record StoreOutputsResult(IReadOnlyList<OutputImage> Outputs, JsonObject? Report, FluxError? Error, IReadOnlyList<IReadOnlyList<ColorMatchReport>>? ColorMatch = null);

/// <summary>Input of <see cref="Activities.WriteManifest"/> and <see cref="Activities.WriteFailure"/>.</summary>
public sealed record WriteRecordInput(string Container, string Blob, string Json);

/// <summary>Input of <see cref="Activities.ReleaseInferenceSlot"/>.</summary>
public sealed record ReleaseSlotInput(string TaskUuid);
