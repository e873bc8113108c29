using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluxFunctions.Core.Storage;
using FluxFunctions.Core.Telemetry;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Pipeline;

/// <summary>Input of <see cref="Activities.PrepareInputs"/>.</summary>
/// <param name="Job">The job.</param>
/// <param name="FinalCompanionCheck">Blob jobs: the companion wait is over, so a missing companion is an error.</param>
/// <param name="InDoubt">An earlier attempt of this activity may have submitted the inferences already.</param>
/// <param name="ScheduledAt">When the orchestration scheduled it (<see cref="InferenceRequest.ScheduledAt"/>).</param>
/// <param name="SoFar">When set, the activity finishes the job itself if its first attempts see every result (the job's
/// stage times and attempts so far go into the manifest); null: it leaves that to the orchestration.</param>
public sealed record PrepareInputsInput(JobRequest Job, bool FinalCompanionCheck = false, bool InDoubt = false, DateTimeOffset? ScheduledAt = null, JobSoFar? SoFar = null) : ITracedInput
{
    [JsonIgnore]
    public StageTags Tags => Job.Tool is { } tool
        ? new(Job.JobId, tool.Name(), Job.Spec is { } spec ? tool.Describe().ModelFor(spec) : FluxModels.For(tool))
        : new(Job.JobId);
}

/// <summary>
/// Output of <see cref="Activities.PrepareInputs"/>: the job's options and prepared images, and the first attempt of
/// each inference; or the companions a blob job still waits for; or the problem that ends the job.
/// </summary>
/// <param name="Spec">The options in force (the request's, or the options companion's).</param>
/// <param name="Options">Blob jobs: the options companion read, pinned to its version.</param>
/// <param name="Mask">The mask used, pinned to its version.</param>
/// <param name="Prepared">The prepared images and how they reach Runware; null while companions are missing or on error.</param>
/// <param name="Attempts">The first attempt of each inference, in piece order.</param>
/// <param name="Guide">Canny/Depth with <c>preprocess: runware</c>: the guide Runware made, sent in place of the prepared image.</param>
/// <param name="Error">The problem that ends the job.</param>
/// <param name="FailedStage">Where the problem was found: waiting for companions or preparing.</param>
/// <param name="Waiting">Blob jobs: required companions still missing.</param>
/// <param name="OptionalPending">Blob jobs: only the optional options file is missing (redux, or covered by folder defaults).</param>
/// <param name="Defaults">Blob jobs: the folder defaults files in force, shallowest first, pinned to the versions read.</param>
/// <param name="Inferences">Set when the activity finished the job itself: every inference, as the manifest records it.</param>
/// <param name="Finished">Set when the activity finished the job itself: the stored results and the manifest, or why
/// storing them failed.</param>
public sealed record PrepareInputsResult(
    EditSpec? Spec,
    BlobRef? Options,
    BlobRef? Mask,
    PreparedInputs? Prepared,
    IReadOnlyList<InferenceAttempt>? Attempts = null,
    RunwarePreprocessResult? Guide = null,
    FluxError? Error = null,
    string? FailedStage = null,
    IReadOnlyList<string>? Waiting = null,
    bool OptionalPending = false,
    IReadOnlyList<BlobRef>? Defaults = null,
    IReadOnlyList<InferenceOutcome>? Inferences = null,
    FinishJobResult? Finished = null) : ITracedOutput
{
    /// <summary>A job that cannot go on.</summary>
    public static PrepareInputsResult Failed(FluxError error, string stage, EditSpec? spec = null) => new(spec, null, null, null, Error: error, FailedStage: stage);
}

/// <summary>What the orchestration knows of a job when it schedules <see cref="Activities.PrepareInputs"/>, for a manifest written there.</summary>
/// <param name="TimingsMs">Time per stage until <paramref name="At"/>.</param>
/// <param name="Attempts">Activity attempts per stage, this one counted.</param>
/// <param name="At">The orchestration's time when it scheduled the activity: the current stage goes on from there.</param>
public sealed record JobSoFar(IReadOnlyDictionary<string, double> TimingsMs, IReadOnlyDictionary<string, int> Attempts, DateTime At);

/// <summary>An image the pipeline prepared and stored in the work container.</summary>
public sealed record PreparedBlob(BlobRef Blob, string ContentType, int Width, int Height, long Bytes, bool Passthrough);

/// <summary>What was prepared for Runware: the images (stored as blobs), their sizes and how they reach Runware.</summary>
/// <param name="Seed">The seed (or guide) image at the sent size; Fill with crops: crop 0's.</param>
/// <param name="Mask">The Fill mask at the sent size; Fill with crops: crop 0's.</param>
/// <param name="Transfers">Each piece's images as Runware takes them (imageUUIDs or SAS URLs), in piece order.</param>
/// <param name="References">The reference images as Runware takes them, sent with every piece (each crop carries them).</param>
public sealed record PreparedInputs(
    PreparedBlob Seed,
    PreparedBlob? Mask,
    int OriginalWidth,
    int OriginalHeight,
    int Width,
    int Height,
    IReadOnlyList<string> Warnings,
    JsonObject? Report,
    FillPlacement? Placement,
    IReadOnlyList<PreparedCropBlobs>? Crops,
    ContextDecision? Context,
    IReadOnlyList<TransferredImages> Transfers,
    IReadOnlyList<string>? References = null);

/// <summary>
/// Fill: one image pair to send to Runware (the whole image, or a crop around part of the mask; one Runware task each).
/// </summary>
/// <param name="Index">0, 1, … (crop 0 is <see cref="PreparedInputs.Seed"/> / <see cref="PreparedInputs.Mask"/>).</param>
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

/// <summary>The Canny or Depth guide made by Runware (<see cref="GuideMaker"/>).</summary>
/// <param name="GuideImage">The guide's imageUUID.</param>
/// <param name="Cost">What Runware charged for it.</param>
/// <param name="Error">Why Runware refused to make it.</param>
/// <param name="TaskUuid">The <c>controlNetPreprocess</c> task that made it.</param>
/// <param name="InputImage">Runware's imageUUID for the photo it was made from (<c>inputImageUUID</c>), when it named one.</param>
public sealed record RunwarePreprocessResult(string? GuideImage, double? Cost, FluxError? Error, string? TaskUuid = null, string? InputImage = null) : ITracedOutput;
