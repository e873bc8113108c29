using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Tools;

namespace FluxFunctions.Core.Pipeline;

/// <summary>One image (and mask) to run an inference on: a Fill crop, or the job's only one.</summary>
public sealed record InferencePiece(int Index, PreparedBlob Seed, PreparedBlob? Mask, int Width, int Height);

/// <summary>
/// What goes to Runware for a prepared job, the same for the orchestration and for <see cref="Activities.PrepareInputs"/>'
/// first submissions (which must build exactly the tasks the orchestration records).
/// </summary>
public static class InferencePieces
{
    /// <summary>Each Fill crop, or the one prepared image (and mask), in the order of the preparation's transfers.</summary>
    public static IReadOnlyList<InferencePiece> Of(PrepareInputsResult prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return prepared.Crops is { Count: > 0 } crops
            ? crops.Select(c => new InferencePiece(c.Index, c.Seed, c.Mask, c.Placement.SentWidth, c.Placement.SentHeight)).ToList()
            : [new InferencePiece(0, prepared.Seed!, prepared.Mask, prepared.Width, prepared.Height)];
    }

    /// <summary>Whether Runware first makes the guide (Canny/Depth with <c>preprocess: runware</c>), so the inference cannot be built before it.</summary>
    public static bool AwaitRunwareGuide(EditSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Tool is FluxTool.Canny or FluxTool.Depth && spec.Preprocess.Mode == PreprocessMode.Runware;
    }
}
