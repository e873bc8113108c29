using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Pipeline;

/// <summary>One image (and mask) to run an inference on: a Fill crop, or the job's only one.</summary>
public sealed record InferencePiece(int Index, PreparedBlob Seed, PreparedBlob? Mask, int Width, int Height);

/// <summary>
/// What goes to Runware for a prepared job, the same for the orchestration and for <see cref="Activities.PrepareInputs"/>'
/// first attempts (which must build exactly the tasks the orchestration records).
/// </summary>
public static class InferencePieces
{
    /// <summary>Each Fill crop, or the one prepared image (and mask), in the order of the preparation's transfers.</summary>
    public static IReadOnlyList<InferencePiece> Of(PreparedInputs prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return prepared.Crops is { Count: > 0 } crops
            ? crops.Select(c => new InferencePiece(c.Index, c.Seed, c.Mask, c.Placement.SentWidth, c.Placement.SentHeight)).ToList()
            : [new InferencePiece(0, prepared.Seed, prepared.Mask, prepared.Width, prepared.Height)];
    }

    /// <summary>
    /// The inference of <paramref name="piece"/> as it is submitted: task built from the options, its taskUUID derived from
    /// the job, the crop and the submission (<see cref="RunwareIds.Inference"/>).
    /// </summary>
    /// <param name="guide">Canny/Depth: the guide Runware made, in place of the prepared seed.</param>
    public static InferenceRequest Request(JobRequest job, EditSpec spec, PreparedInputs prepared, InferencePiece piece, int submission, string? guide = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(piece);
        var position = Of(prepared).ToList().FindIndex(p => p.Index == piece.Index);
        var transfer = prepared.Transfers[position];
        var taskUuid = RunwareIds.Inference(job.JobId, piece.Index, submission);
        var task = RunwareTaskBuilder.BuildInference(spec.ForCrop(piece.Index), new InferenceImages(guide ?? transfer.Seed, transfer.Mask) { References = prepared.References ?? [] }, taskUuid, piece.Width, piece.Height);
        return new InferenceRequest(job.JobId, spec.Tool.Name(), taskUuid.ToString(), task.ToJsonString(), spec.NumberResults, job.Settings.WebhookBaseUrl, job.Settings.WatchSeconds)
        {
            JobCreatedAt = job.CreatedAt,
        };
    }

    /// <summary>Whether Runware first makes the guide (Canny/Depth with <c>preprocess: runware</c>), so the inference cannot be built before it.</summary>
    public static bool AwaitRunwareGuide(EditSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Tool.Describe().Guide != GuideKind.None && spec.Preprocess.Mode == PreprocessMode.Runware;
    }
}
