using FluxFunctions.Errors;
using FluxFunctions.Requests;
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
/// </summary>
public sealed partial class PrepareInputs(CompanionReader companions, InputPreparer preparer, GuideMaker guides, InferenceRunner runner, ILogger<PrepareInputs> logger) : FluxActivity<PrepareInputsInput, PrepareInputsResult>
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

        PreparedInputs prepared;
        try
        {
            prepared = await preparer.PrepareAsync(job.JobId, job.Image, mask, references, spec, job.Settings.ImageTransfer, cancellationToken).ConfigureAwait(false);
        }
        catch (PermanentFluxException ex)
        {
            return PrepareInputsResult.Failed(ex.First, Stages.Preparing, spec);
        }

        RunwarePreprocessResult? guide = null;
        if (InferencePieces.AwaitRunwareGuide(spec))
        {
            guide = await guides.MakeAsync(spec, prepared.Transfers[0].Seed, prepared.Width, prepared.Height, cancellationToken).ConfigureAwait(false);
            if (guide.Error is not null || guide.GuideImage is null)
            {
                return PrepareInputsResult.Failed(guide.Error ?? new FluxError(ErrorCodes.RunwareProtocol, "Runware returned no guide image."), Stages.Preprocessing, spec) with { Prepared = prepared, Guide = guide };
            }
        }

        var attempts = await FirstAttemptsAsync(input, spec, prepared, guide?.GuideImage, cancellationToken).ConfigureAwait(false);
        return new PrepareInputsResult(spec, options, mask, prepared, attempts, guide, Defaults: defaults);
    }

    /// <summary>The first attempt of every piece's inference, in piece order; null when the job is to make them.</summary>
    private async Task<IReadOnlyList<InferenceAttempt>?> FirstAttemptsAsync(PrepareInputsInput input, EditSpec spec, PreparedInputs prepared, string? guide, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.WhenAll(InferencePieces.Of(prepared).Select(piece =>
            {
                var request = InferencePieces.Request(input.Job, spec, prepared, piece, submission: 0, guide) with { InDoubt = input.InDoubt, ScheduledAt = input.ScheduledAt };

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

    [LoggerMessage(EventId = 1450, Level = LogLevel.Information, Message = "Job {JobId}: the first inference attempt failed in preparation ({Reason}); the job makes it again")]
    private static partial void LogLeftToJob(ILogger logger, string jobId, string reason);
}
