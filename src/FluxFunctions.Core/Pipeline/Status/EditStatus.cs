using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Pipeline;

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

    /// <summary>The status of a job that ended with <paramref name="outcome"/>.</summary>
    public static string Of(JobOutcome outcome) => outcome switch
    {
        JobOutcome.Completed => Completed,
        JobOutcome.Canceled => Canceled,
        _ => Failed,
    };
}

/// <summary>A job's status together with where its result images are stored (for downloads).</summary>
public sealed record EditView(EditStatus Status, IReadOnlyList<OutputImage> Images, JobRequest? Request)
{
    /// <summary>The public path of an edit, <c>/api/edits/{id}</c>.</summary>
    public static string StatusPath(string id) => $"/api/edits/{id}";

    /// <summary>The public path of a result image.</summary>
    public static string OutputPath(string id, int index) => $"/api/edits/{id}/outputs/{index}";

    /// <summary>
    /// The view of a job whose outcome is known: what <c>GET /api/edits/{id}</c> shows once it ended, and — built by the
    /// orchestration from the same code, without <paramref name="callback"/> and <paramref name="progressCallbacks"/> — the
    /// body of its terminal callback.
    /// </summary>
    public static EditView Ended(string id, JobRequest? request, JobResult result, DateTimeOffset createdAt, DateTimeOffset updatedAt, CallbackDelivery? callback = null, IReadOnlyList<CallbackDelivery>? progressCallbacks = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(result);
        var tool = (result.Tool ?? request?.Tool)?.Name();
        var (stage, images, error) = result.Outcome switch
        {
            JobOutcome.Completed => (Stages.Completed, result.Outputs, (FluxError?)null),
            JobOutcome.Canceled => (result.FailedStage, (IReadOnlyList<OutputImage>)[], result.Error ?? JobResult.CanceledError),
            _ => (result.FailedStage, (IReadOnlyList<OutputImage>)[], result.Error ?? UnexpectedError(id)),
        };
        var edit = new EditStatus(id, tool, EditStatuses.Of(result.Outcome), stage, createdAt, updatedAt, Outputs(id, images), error, callback, progressCallbacks);
        return new EditView(edit, images, request);
    }

    /// <summary>The result images as the job's status lists them, each with its download path.</summary>
    public static IReadOnlyList<EditOutput> Outputs(string id, IReadOnlyList<OutputImage> images) =>
        images.Select(i => new EditOutput(i.Index, OutputPath(id, i.Index), i.Width, i.Height, i.Seed, i.Format.ToString(), i.Flagged ? true : null)).ToList();

    /// <summary>The error of a job that stopped without saying why (its orchestration failed, or its result is unreadable).</summary>
    public static FluxError UnexpectedError(string id) =>
        new(ErrorCodes.Internal, $"The job stopped on an unexpected error; the operators' logs have the details under job id {id}.");
}
