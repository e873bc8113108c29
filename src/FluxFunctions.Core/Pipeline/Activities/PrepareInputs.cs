using System.Text.Json;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Imaging;
using FluxFunctions.Core.Storage;
using FluxFunctions.Core.Telemetry;
using FluxFunctions.Core.Tools;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Reads the input (and mask) at the version the job was started for, prepares them for the tool (size, mask, guide,
/// outpaint canvas), stores the prepared images in the work container, so later activities pass blob references, and
/// hands them to Runware once (<see cref="ImageTransfer"/>: each Fill crop its own seed and mask). An input that needs no
/// change is not copied: the prepared seed is the input blob itself.
/// <para>One activity, not two: a job's trip through the task hub between preparing and uploading cost more than either
/// under load, and the upload sends the bytes already in memory instead of reading the blob back. A transient upload
/// failure retries the whole activity; preparing again is idempotent (same blobs, same bytes).</para>
/// <para>For the same reason it then submits the job's first inferences (<see cref="InferenceSubmissions"/>: a free slot,
/// or this host's queue) unless Runware must first make a Canny/Depth guide. That is only a head start: a submission that
/// fails for a transient reason is left to the <see cref="SubmitInference"/> activity and its retries, and the taskUUIDs
/// are the ones the orchestration derives (<see cref="RunwareIds.Inference"/>), so nothing is submitted twice.</para>
/// </summary>
public sealed partial class PrepareInputs(FluxStorage storage, ImageWork images, ImageTransfer transfer, InferenceSubmissions submissions, ILogger<PrepareInputs> logger) : FluxActivity<PrepareInputsInput, PrepareInputsResult>
{
    public override async Task<PrepareInputsResult> ExecuteAsync(PrepareInputsInput input, CancellationToken cancellationToken)
    {
        var scheduledAt = input.ScheduledAt; // judged when the activity starts, not after preparing
        input = input with { ScheduledAt = null };
        try
        {
            var limit = storage.Options.MaxInputBytes;
            var image = await storage.ReadAsync(input.Image, limit, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte>? maskInput = null;
            if (input.Mask is not null)
            {
                maskInput = (await storage.ReadAsync(input.Mask, limit, cancellationToken).ConfigureAwait(false)).Data;
            }

            var prepared = images.Prepare(image.Data, maskInput, input.Spec);
            var seed = prepared.Image.Passthrough
                ? new PreparedBytes(new PreparedBlob(input.Image with { ETag = image.ETag }, prepared.Image.ContentType, prepared.Image.Width, prepared.Image.Height, prepared.Image.Bytes.Length, true), prepared.Image.Bytes)
                : await Store(input.JobId, "seed." + prepared.Image.Format.Name().ToLowerInvariant(), prepared.Image, cancellationToken).ConfigureAwait(false);
            PreparedBytes? mask = null;
            if (prepared.Mask is { } m)
            {
                mask = await Store(input.JobId, "mask.png", m, cancellationToken).ConfigureAwait(false);
            }

            // What goes to Runware: the seed (and mask), or for Fill crop 0 as above and every further crop its own pair.
            var pieces = new List<(PreparedBytes Seed, PreparedBytes? Mask)> { (seed, mask) };
            List<PreparedCropBlobs>? crops = null;
            if (prepared.Crops.Count > 0 && mask is not null)
            {
                crops = [new PreparedCropBlobs(0, seed.Blob, mask.Blob, prepared.Crops[0].Placement, prepared.Crops[0].Margin)];
                foreach (var crop in prepared.Crops.Skip(1))
                {
                    var cropSeed = await Store(input.JobId, $"seed-{crop.Index}.{crop.Seed.Format.Name().ToLowerInvariant()}", crop.Seed, cancellationToken).ConfigureAwait(false);
                    var cropMask = await Store(input.JobId, $"mask-{crop.Index}.png", crop.Mask, cancellationToken).ConfigureAwait(false);
                    crops.Add(new PreparedCropBlobs(crop.Index, cropSeed.Blob, cropMask.Blob, crop.Placement, crop.Margin));
                    pieces.Add((cropSeed, cropMask));
                }
            }

            var transfers = await Task.WhenAll(pieces.Select(p => transfer.SendAsync(p.Seed, p.Mask, input.Transfer, cancellationToken))).ConfigureAwait(false);

            var report = JsonSerializer.SerializeToNode(prepared.Report, ReportJson)?.AsObject();
            var result = new PrepareInputsResult(
                seed.Blob,
                mask?.Blob,
                prepared.OriginalSize.Width,
                prepared.OriginalSize.Height,
                prepared.TargetSize.Width,
                prepared.TargetSize.Height,
                prepared.Warnings,
                report,
                prepared.Placement,
                null,
                crops,
                prepared.Context,
                transfers);
            return result with { Submissions = await SubmitFirstAsync(input, scheduledAt, result, cancellationToken).ConfigureAwait(false) };
        }
        catch (PermanentFluxException ex)
        {
            return new PrepareInputsResult(null, null, 0, 0, 0, 0, [], null, null, ex.First);
        }
    }

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    /// <summary>The first submission of every piece's inference, in piece order; null when the orchestration is to make them.</summary>
    private async Task<IReadOnlyList<SubmitInferenceResult>?> SubmitFirstAsync(PrepareInputsInput input, DateTimeOffset? scheduledAt, PrepareInputsResult prepared, CancellationToken cancellationToken)
    {
        var spec = input.Spec;
        if (InferencePieces.AwaitRunwareGuide(spec) || prepared.Transfers is not { } transfers)
        {
            return null;
        }

        var pieces = InferencePieces.Of(prepared);
        try
        {
            return await Task.WhenAll(pieces.Select(async (p, i) =>
            {
                var taskUuid = RunwareIds.Inference(input.JobId, p.Index, 0);
                var task = RunwareTaskBuilder.BuildInference(spec, new InferenceImages(transfers[i].Seed, transfers[i].Mask), taskUuid, p.Width, p.Height);
                var submit = new SubmitInferenceInput(input.JobId, taskUuid.ToString(), task.ToJsonString(), input.WebhookBaseUrl, spec.NumberResults, ScheduledAt: scheduledAt);

                // The same span the SubmitInference activity would have made, inside this one's.
                using var span = FluxTelemetry.StartStage(nameof(SubmitInference), submit, input.JobId);
                var submitted = await submissions.SubmitAsync(submit, cancellationToken).ConfigureAwait(false);
                FluxTelemetry.Complete(span, submitted);
                return submitted;
            })).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Only a head start: the SubmitInference activity submits with its own retries.
        catch (Exception ex) when (ex is not PermanentFluxException)
#pragma warning restore CA1031
        {
            LogLeftToActivity(logger, input.JobId, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(EventId = 1450, Level = LogLevel.Information, Message = "Job {JobId}: the first submission failed in preparation ({Reason}); the submit activity takes it")]
    private static partial void LogLeftToActivity(ILogger logger, string jobId, string reason);

    private async Task<PreparedBytes> Store(string jobId, string file, PreparedImage image, CancellationToken cancellationToken)
    {
        var blob = new BlobRef(storage.Options.WorkContainer, OutputLayout.Work(jobId, file));
        var etag = await storage.WriteAsync(blob, image.Bytes, image.ContentType, cancellationToken).ConfigureAwait(false);
        return new PreparedBytes(new PreparedBlob(blob with { ETag = etag }, image.ContentType, image.Width, image.Height, image.Bytes.Length, false), image.Bytes);
    }

}
