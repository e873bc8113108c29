using System.Text.Json.Nodes;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Runware;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// The job's first step, one activity so that the usual job takes one trip through the task hub before its results are in:
/// the options (the request's, or a blob job's companions: <see cref="CompanionReader"/>, or what it still waits for), the
/// inputs prepared and handed to Runware (<see cref="InputPreparer"/>), the Canny/Depth guide when Runware is to make it
/// (<see cref="GuideMaker"/>), then each inference's first attempt (<see cref="InferenceRunner"/>: a slot, the submission,
/// the result watched for a bounded time). A transient failure of an attempt leaves it to the job's
/// <see cref="RunInference"/> calls, in doubt; the taskUUIDs are the ones the job derives
/// (<see cref="InferencePieces.Request"/>), so nothing is paid for twice where Runware refuses a repeated taskUUID.
/// When those attempts saw every result, it finishes the job too (<see cref="JobFinisher"/>): the usual job is then one
/// activity and one trip through the task hub, unless a cancel request claimed the job first (<see cref="JobEndClaim"/>).
/// </summary>
public sealed partial class PrepareInputs(
    CompanionReader companions,
    InputPreparer preparer,
    GuideMaker guides,
    InferenceRunner runner,
    InferenceSlots slots,
    JobFinisher finisher,
    JobEndClaim claim,
    TimeProvider time,
    ILogger<PrepareInputs> logger) : FluxActivity<PrepareInputsInput, PrepareInputsResult>
{
    public override async Task<PrepareInputsResult> ExecuteAsync(PrepareInputsInput input, CancellationToken cancellationToken)
    {
        var job = input.Job;
        EditSpec spec;
        var mask = job.Mask;
        var references = job.References;
        Storage.BlobRef? options = null;
        IReadOnlyList<Storage.BlobRef>? defaults = null;
        if (job.Spec is { } given)
        {
            spec = given;
        }
        else
        {
            var found = await companions.ReadAsync(job, input.FinalCompanionCheck, cancellationToken).ConfigureAwait(false);
            if (found.Error is { } error)
            {
                return PrepareInputsResult.Failed(error, Stages.WaitingForCompanions);
            }

            if (!found.Ready || found.Spec is null)
            {
                return new PrepareInputsResult(null, null, null, null, Waiting: found.Waiting, OptionalPending: found.OptionalPending);
            }

            (spec, mask, options, defaults, references) = (found.Spec, found.Mask, found.Options, found.Defaults, found.References);
        }

        // The first inference's slot, taken while the inputs are prepared when one is free (given back if never used).
        var early = EarlySlot.Take(slots, job.JobId, job.CreatedAt, logger);
        try
        {
            return await PrepareAndSubmitAsync(input, new OptionsInForce(spec, mask, references, options, defaults), early, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await early.GiveBackUnlessSubmittedAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The job's inputs prepared and handed to Runware, its guide made, its first attempts made (and the job finished when they saw every result).</summary>
    private async Task<PrepareInputsResult> PrepareAndSubmitAsync(PrepareInputsInput input, OptionsInForce found, EarlySlot early, CancellationToken cancellationToken)
    {
        var job = input.Job;
        var (spec, mask, references, options, defaults) = found;
        PreparedInputs prepared;
        string? guideInput;
        try
        {
            (prepared, guideInput) = await preparer.PrepareAsync(job.JobId, job.Image, mask, references, spec, job.Settings.ImageTransfer, cancellationToken).ConfigureAwait(false);
        }
        catch (PermanentFluxException ex)
        {
            return PrepareInputsResult.Failed(ex.First, Stages.Preparing, spec);
        }

        // Nothing is paid for at Runware (the guide, the inferences) for a job a cancel request claimed meanwhile: the
        // orchestration has ended it, and this result is not read.
        if (await claim.IsCanceledAsync(job.JobId, cancellationToken).ConfigureAwait(false))
        {
            LogCanceledBeforeSubmitting(logger, job.JobId);
            return PrepareInputsResult.Failed(new FluxError(ErrorCodes.Canceled, "The job was canceled before anything was sent to Runware's models."), Stages.Preparing, spec) with { Prepared = prepared };
        }

        RunwarePreprocessResult? guide = null;
        if (InferencePieces.AwaitRunwareGuide(spec))
        {
            guide = await guides.MakeAsync(spec, guideInput ?? prepared.Transfers[0].Seed, prepared.Width, prepared.Height, cancellationToken).ConfigureAwait(false);
            if (guideInput is not null)
            {
                // The photo went inside the guide's request: that is its transfer (and Runware's name for it, when given).
                prepared = prepared with { Transfers = [new TransferredImages(guide.InputImage ?? "", null, guideInput.Length)] };
            }

            if (guide.Error is not null || guide.GuideImage is null)
            {
                return PrepareInputsResult.Failed(guide.Error ?? new FluxError(ErrorCodes.RunwareProtocol, "Runware returned no guide image."), Stages.Preprocessing, spec) with { Prepared = prepared, Guide = guide };
            }
        }

        // Each piece's inference as the orchestration records it, built once for the attempts and for the manifest.
        var pieces = InferencePieces.Of(prepared);
        var requests = pieces.Select(piece => InferencePieces.Request(job, spec, prepared, piece, submission: 0, guide?.GuideImage)).ToList();
        await early.HandOverAsync(requests.Select(r => r.TaskUuid)).ConfigureAwait(false);
        var attempts = await FirstAttemptsAsync(input, requests, cancellationToken).ConfigureAwait(false);
        var ready = new PrepareInputsResult(spec, options, mask, prepared, attempts, guide, Defaults: defaults);
        return input.SoFar is { } soFar && attempts is not null ? await FinishSeenAsync(input, soFar, ready, pieces, requests, cancellationToken).ConfigureAwait(false) : ready;
    }

    /// <summary>
    /// When every first attempt saw its task succeed, and no flagged result is to fail the job, stores the results and
    /// writes the manifest here, as <see cref="FinishJob"/> would (the same facts, the watched deliveries, the stage times
    /// carried on from the orchestration's); unless a cancel request claimed the job first. Otherwise the result as it was.
    /// </summary>
    private async Task<PrepareInputsResult> FinishSeenAsync(
        PrepareInputsInput input,
        JobSoFar soFar,
        PrepareInputsResult ready,
        IReadOnlyList<InferencePiece> pieces,
        IReadOnlyList<InferenceRequest> requests,
        CancellationToken cancellationToken)
    {
        var (spec, prepared, attempts) = (ready.Spec!, ready.Prepared!, ready.Attempts!);
        if (attempts.Any(a => a.Status != AttemptStatus.Submitted || a.Result is not { Status: PollStatus.Success }))
        {
            return ready;
        }

        var inferences = pieces.Select((piece, i) =>
            new InferenceOutcome(piece.Index, requests[i].TaskUuid, JsonNode.Parse(requests[i].TaskJson)!.AsObject(), attempts[i].Submitted, 0, 0, attempts[i].Result!, "watch")).ToList();
        if (SafetyVerdict.FailingTheJob(spec.Safety, inferences).Count > 0)
        {
            return ready;
        }

        if (!await claim.TryClaimAsync(input.Job.JobId, JobEnd.Finish, cancellationToken).ConfigureAwait(false))
        {
            LogCanceledFirst(logger, input.Job.JobId);
            return ready;
        }

        // The stage times as the orchestration would count them: preparing until the watch began, inferring while watched.
        var watched = (double)attempts.Max(a => a.WatchedMs);
        var sinceScheduled = Math.Max(0, (time.GetUtcNow().UtcDateTime - soFar.At).TotalMilliseconds);
        var timings = new Dictionary<string, double>(soFar.TimingsMs, StringComparer.Ordinal);
        timings[Stages.Preparing] = timings.GetValueOrDefault(Stages.Preparing) + Math.Max(0, sinceScheduled - watched);
        timings[Stages.Inferring] = Math.Min(watched, sinceScheduled);
        var counted = new Dictionary<string, int>(soFar.Attempts, StringComparer.Ordinal);
        counted[Stages.Submitting] = counted.GetValueOrDefault(Stages.Submitting) + pieces.Count;
        counted[Stages.Storing] = counted.GetValueOrDefault(Stages.Storing) + 1;
        var facts = new JobFacts(input.Job, spec, ready.Options, ready.Mask, prepared, ready.Guide, inferences, timings, counted, null, ready.Defaults);
        // The span the FinishJob activity would have made, inside this one's.
        var finished = await Telemetry.FluxTelemetry.TraceAsync(nameof(FinishJob), new FinishJobInput(facts), () => finisher.FinishAsync(facts, cancellationToken)).ConfigureAwait(false);
        return ready with { Inferences = inferences, Finished = finished };
    }

    /// <summary>The first attempt of every piece's inference (<paramref name="requests"/>, in piece order); null when the job is to make them.</summary>
    private async Task<IReadOnlyList<InferenceAttempt>?> FirstAttemptsAsync(PrepareInputsInput input, IReadOnlyList<InferenceRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.WhenAll(requests.Select(first =>
            {
                var request = first with { InDoubt = input.InDoubt, ScheduledAt = input.ScheduledAt };

                // The span the RunInference activity would have made, inside this one's.
                return Telemetry.FluxTelemetry.TraceAsync(nameof(RunInference), request, () => runner.AttemptAsync(request, cancellationToken));
            })).ConfigureAwait(false);
        }
        catch (TransientFluxException ex)
        {
            LogLeftToJob(logger, input.Job.JobId, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>The options in force and the blobs they came with: the request's, or its companions'.</summary>
    private sealed record OptionsInForce(EditSpec Spec, Storage.BlobRef? Mask, IReadOnlyList<Storage.BlobRef>? References, Storage.BlobRef? Options, IReadOnlyList<Storage.BlobRef>? Defaults);

    [LoggerMessage(EventId = 1452, Level = LogLevel.Information, Message = "Job {JobId}: canceled while it was being prepared; nothing is submitted")]
    private static partial void LogCanceledBeforeSubmitting(ILogger logger, string jobId);

    [LoggerMessage(EventId = 1451, Level = LogLevel.Information, Message = "Job {JobId}: every result is in, but the job was canceled first; nothing is stored")]
    private static partial void LogCanceledFirst(ILogger logger, string jobId);

    [LoggerMessage(EventId = 1450, Level = LogLevel.Information, Message = "Job {JobId}: the first inference attempt failed in preparation ({Reason}); the job makes it again")]
    private static partial void LogLeftToJob(ILogger logger, string jobId, string reason);
}
