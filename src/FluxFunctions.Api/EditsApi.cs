using System.Globalization;
using System.Text;
using Azure;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Api;

/// <summary>
/// The edit routes of SPEC §3, host-neutral: <c>POST /api/edits</c> (202 + Location, or the finished status with
/// <c>?wait=N</c>), <c>GET /api/edits/{id}</c>, <c>GET /api/edits/{id}/outputs/{index}</c> and
/// <c>DELETE /api/edits/{id}</c>. HTTP jobs run through the same orchestration as blob drops, and blob-drop jobs are
/// visible here too.
/// </summary>
public sealed partial class EditsApi(
    ApiGuard guard,
    EditAdmission admission,
    JobInputStore inputs,
    JobStarter starter,
    JobSettingsFactory settings,
    EditStatusReader statuses,
    FluxStorage storage,
    IOptions<FluxOptions> options,
    TimeProvider time,
    ILogger<EditsApi> logger)
{
    /// <summary>Longest <c>?wait=</c> honoured, in seconds (larger values are capped).</summary>
    public const int MaxWaitSeconds = 60;

    /// <summary>
    /// How long <c>DELETE</c> waits for the orchestration to act on its cancel event before terminating it instead, and
    /// then for the termination before answering 202.
    /// </summary>
    public static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    /// <summary><c>POST /api/edits</c>.</summary>
    public Task<IResult> CreateAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        guard.RunAsync(request, async () =>
        {
            ArgumentNullException.ThrowIfNull(client);
            var wait = ReadWait(request);
            var o = options.Value;
            var submission = await EditRequestReader.ReadAsync(request, o.MaxRequestBytes, o.MaxInputBytes, cancellationToken).ConfigureAwait(false);
            var edit = await admission.AdmitAsync(submission, cancellationToken).ConfigureAwait(false);

            var jobId = JobIds.ForApi();
            var image = await inputs.StoreImageAsync(jobId, edit.Image, cancellationToken).ConfigureAwait(false);
            var mask = edit.Mask is null ? null : await inputs.StoreMaskAsync(jobId, edit.Mask, cancellationToken).ConfigureAwait(false);
            List<BlobRef>? references = null;
            for (var i = 0; i < (edit.References?.Count ?? 0); i++)
            {
                references ??= [];
                references.Add(await inputs.StoreReferenceAsync(jobId, i, edit.References![i], cancellationToken).ConfigureAwait(false));
            }

            var job = new JobRequest
            {
                JobId = jobId,
                Origin = JobOrigin.Api,
                Image = image,
                Mask = mask,
                References = references,
                BaseName = OutputLayout.ApiBaseName(edit.Spec.Tool.Name(), SafeName(edit.Image.Name)),
                Spec = edit.Spec,
                CreatedAt = time.GetUtcNow(),
                Settings = settings.Create(),
            };
            await starter.StartNewAsync(client, job, cancellationToken).ConfigureAwait(false);
            LogAccepted(logger, jobId, edit.Spec.Tool.Name(), edit.Image.Info.Format.Name(), edit.Image.Info.Width, edit.Image.Info.Height);

            var statusUrl = EditView.StatusPath(jobId);
            if (wait > 0)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                cts.CancelAfter(TimeSpan.FromSeconds(wait));
                try
                {
                    // Ended also while its completion callback is still being delivered.
                    var view = await statuses.WaitForEndAsync(client, jobId, cts.Token).ConfigureAwait(false);
                    if (view is not null)
                    {
                        return ApiResults.Json(view.Status, StatusCodes.Status200OK, statusUrl);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Not done in time: the usual 202.
                }
            }

            return ApiResults.Json(new Accepted(jobId, statusUrl), StatusCodes.Status202Accepted, statusUrl);
        });

    /// <summary><c>GET /api/edits/{id}</c>.</summary>
    public Task<IResult> GetAsync(HttpRequest request, string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        guard.RunAsync(request, async () =>
        {
            var view = await statuses.ReadAsync(client, id, cancellationToken).ConfigureAwait(false);
            return view is null ? UnknownJob(id) : ApiResults.Json(view.Status);
        });

    /// <summary><c>GET /api/edits/{id}/outputs/{index}</c>: the image bytes with their content type.</summary>
    public Task<IResult> GetOutputAsync(HttpRequest request, string id, int index, DurableTaskClient client, CancellationToken cancellationToken) =>
        guard.RunAsync(request, async () =>
        {
            var view = await statuses.ReadAsync(client, id, cancellationToken).ConfigureAwait(false);
            if (view is null)
            {
                return UnknownJob(id);
            }

            var image = view.Images.FirstOrDefault(i => i.Index == index);
            if (image is null || image.Container != storage.Options.OutputContainer)
            {
                return ApiProblems.NotFound(view.Status.Status == EditStatuses.Completed
                    ? $"Job {id} has {view.Images.Count} output(s), numbered from 0; there is no output {index}."
                    : $"Job {id} is {view.Status.Status}; outputs exist once it has completed.");
            }

            try
            {
                var blob = storage.Outputs.GetBlobClient(image.Blob);
                var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return Results.Stream(download.Value.Content, image.Format.ContentType(), $"{id}-{index}.{image.Format.Extension()}");
            }
            catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
            {
                return ApiProblems.NotFound($"Output {index} of job {id} is no longer in the output container.");
            }
        });

    /// <summary>
    /// <c>DELETE /api/edits/{id}</c>: cancels a job that has not finished; its status becomes canceled. The orchestration
    /// is asked by an external event (it stops, writes nothing and sends its callback); when it has not acted on that
    /// within <see cref="CancelWait"/> (no worker running it), it is terminated — without a callback.
    /// </summary>
    public Task<IResult> CancelAsync(HttpRequest request, string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        guard.RunAsync(request, async () =>
        {
            ArgumentNullException.ThrowIfNull(client);
            var view = await statuses.ReadAsync(client, id, cancellationToken).ConfigureAwait(false);
            if (view is null)
            {
                return UnknownJob(id);
            }

            var status = view.Status;
            if (EditStatuses.IsFinal(status.Status))
            {
                return ApiProblems.Conflict($"Job {id} has already finished ({status.Status}); only pending or running jobs can be canceled.");
            }

            if (status.Stage is Stages.Storing or Stages.Completed)
            {
                return ApiProblems.Conflict($"Job {id} is storing its results and writing its manifest and will complete in a moment; it can no longer be canceled.");
            }

            await client.RaiseEventAsync(id, EditOrchestrator.CancelEvent, "canceled by an API request", cancellationToken).ConfigureAwait(false);
            LogCanceled(logger, id, status.Stage ?? "");
            var ended = await WaitForEndAsync(client, id, cancellationToken).ConfigureAwait(false);
            if (ended is null)
            {
                LogTerminating(logger, id, CancelWait.TotalSeconds);
                await client.TerminateInstanceAsync(id, new TerminateInstanceOptions("canceled by an API request"), cancellationToken).ConfigureAwait(false);
                ended = await WaitForEndAsync(client, id, cancellationToken).ConfigureAwait(false);
            }

            if (ended is null)
            {
                var pending = await statuses.ReadAsync(client, id, cancellationToken).ConfigureAwait(false);
                return ApiResults.Json(pending?.Status ?? status, StatusCodes.Status202Accepted);
            }

            return ended.Status.Status == EditStatuses.Canceled
                ? ApiResults.Json(ended.Status)
                : ApiProblems.Conflict($"Job {id} finished ({ended.Status.Status}) before the cancellation took effect.");
        });

    /// <summary>The job's view once it has ended, or null when it has not within <see cref="CancelWait"/>.</summary>
    private async Task<EditView?> WaitForEndAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(CancelWait);
        try
        {
            return await statuses.WaitForEndAsync(client, id, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The output folder name of an HTTP job: the upload's, URL's or blob's file name, made safe; else <c>image</c>.</summary>
    public static string SafeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "image";
        }

        var sb = new StringBuilder(Math.Min(name.Length, 64));
        foreach (var ch in name)
        {
            if (sb.Length == 64)
            {
                break;
            }

            var ok = char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.';
            if (ok)
            {
                sb.Append(ch);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var safe = sb.ToString().Trim('-', '.');
        return safe.Length == 0 ? "image" : safe;
    }

    private static int ReadWait(HttpRequest request)
    {
        var raw = request.Query["wait"];
        if (raw.Count == 0)
        {
            return 0;
        }

        if (raw.Count > 1 || !int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.InvalidValue, $"'wait' must be a whole number of seconds (0 to {MaxWaitSeconds}).", "wait"));
        }

        return Math.Min(seconds, MaxWaitSeconds);
    }

    private static IResult UnknownJob(string id) =>
        ApiProblems.NotFound(JobIds.IsWellFormed(id) ? $"No job has the id {id}." : "No job has this id: job ids are 32 characters, 'a' or 'b' then lower-case hex.");

    /// <summary>The body of a 202: the job id and where to follow it.</summary>
    private sealed record Accepted(string Id, string StatusUrl);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Accepted edit {JobId}: {Tool} on a {Format} of {Width}x{Height}")]
    private static partial void LogAccepted(ILogger logger, string jobId, string tool, string format, int width, int height);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Canceling job {JobId} (stage {Stage}) at a user's request")]
    private static partial void LogCanceled(ILogger logger, string jobId, string stage);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Job {JobId} did not act on its cancel request within {Seconds} s; terminating it (no callback will be sent)")]
    private static partial void LogTerminating(ILogger logger, string jobId, double seconds);
}
