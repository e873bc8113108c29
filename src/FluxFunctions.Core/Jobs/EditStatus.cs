using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;

namespace FluxFunctions.Core.Jobs;

/// <summary>
/// A job as <c>GET /api/edits/{id}</c> shows it (SPEC §3), for HTTP and blob-drop jobs alike. The same JSON is what a
/// completion callback carries.
/// </summary>
/// <param name="Id">The job id (the orchestration instance id).</param>
/// <param name="Tool">fill, canny, depth or redux; null for a blob in a folder that names no tool.</param>
/// <param name="Status">One of <see cref="EditStatuses"/>.</param>
/// <param name="Stage">Where the job is (running), was when it failed or was canceled, or <c>completed</c>.</param>
/// <param name="CreatedAt">When the job was started.</param>
/// <param name="UpdatedAt">When its state last changed.</param>
/// <param name="Outputs">The result images (completed jobs).</param>
/// <param name="Error">Why the job failed or that it was canceled.</param>
/// <param name="Callback">Jobs with a <c>callbackUrl</c>: the delivery of the completion callback (absent from the
/// callback's own body).</param>
/// <param name="ProgressCallbacks">Jobs with <c>callbackEvents</c>, once ended: the delivery of each progress event (absent
/// from the callbacks' bodies).</param>
/// <param name="Event">Callback bodies only: the event this POST reports (<c>started</c>, …, <c>canceled</c>).</param>
public sealed record EditStatus(
    string Id,
    string? Tool,
    string Status,
    string? Stage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<EditOutput> Outputs,
    FluxError? Error,
    CallbackDelivery? Callback = null,
    IReadOnlyList<CallbackDelivery>? ProgressCallbacks = null,
    string? Event = null);

/// <summary>One result image of a job.</summary>
/// <param name="Index">0-based position.</param>
/// <param name="Url">Where to download it: <c>/api/edits/{id}/outputs/{index}</c>.</param>
/// <param name="Width">Pixels.</param>
/// <param name="Height">Pixels.</param>
/// <param name="Seed">The seed Runware used.</param>
/// <param name="Format">PNG, JPG or WEBP.</param>
/// <param name="Flagged">True when Runware's safety check flagged this image and the job kept it (<c>safety.onFlagged:
/// record</c>); absent otherwise. Quarantined images are never outputs.</param>
public sealed record EditOutput(int Index, string Url, int Width, int Height, long? Seed, string Format, bool? Flagged = null);

/// <summary>The values of <see cref="EditStatus.Status"/>.</summary>
public static class EditStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    /// <summary>Whether the job has ended (nothing will change any more).</summary>
    public static bool IsFinal(string status) => status is Completed or Failed or Canceled;
}

/// <summary>A job's status together with where its result images are stored (for downloads).</summary>
public sealed record EditView(EditStatus Status, IReadOnlyList<OutputImage> Images, JobRequest? Request);
