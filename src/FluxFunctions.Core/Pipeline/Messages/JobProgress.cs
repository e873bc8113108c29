using System.Text.Json.Serialization;
using FluxFunctions.Errors;
using FluxFunctions.Requests;

namespace FluxFunctions.Core.Pipeline;

/// <summary>Stages a job moves through; shown as <c>stage</c> by <c>GET /api/edits/{id}</c>.</summary>
public static class Stages
{
    public const string Queued = "queued";
    public const string WaitingForCompanions = "waiting-for-companions";

    /// <summary>Reading, preparing and storing the inputs, handing them to Runware (upload or SAS URLs), having Runware make
    /// a Canny/Depth guide when asked, and, where a slot is free, submitting the inferences and watching them.</summary>
    public const string Preparing = "preparing";

    /// <summary>Where a failure record says Runware refused to make a Canny/Depth guide (inside <see cref="Preparing"/>).</summary>
    public const string Preprocessing = "preprocessing";

    /// <summary>Waiting for a free inference slot.</summary>
    public const string Submitting = "submitting";
    public const string Inferring = "inferring";

    /// <summary>Fetching, finishing and storing the results, then writing the manifest (one step: once it starts, the job completes).</summary>
    public const string Storing = "storing";
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
    CallbackDelivery? Callback = null,
    IReadOnlyList<CallbackDelivery>? ProgressCallbacks = null)
{
    /// <summary>The error a canceled job reports.</summary>
    public static FluxError CanceledError { get; } =
        new(ErrorCodes.Canceled, "The job was canceled before it finished; nothing was written to the output container.");
}

/// <summary>One stored result image.</summary>
/// <param name="Flagged">Runware's safety check flagged it (kept with <c>onFlagged: record</c>, or quarantined).</param>
/// <param name="Quarantined">Written to the quarantine container (<c>onFlagged: quarantine</c>): listed in the manifest only, never served as an output.</param>
public sealed record OutputImage(int Index, string Container, string Blob, int Width, int Height, long? Seed, OutputFormat Format, double? Cost, bool Flagged = false, bool Quarantined = false);
