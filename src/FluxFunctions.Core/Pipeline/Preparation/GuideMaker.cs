using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Has Runware turn the uploaded photo into a Canny or Depth guide (<c>controlNetPreprocess</c>), when the options ask
/// for it (<see cref="InferencePieces.AwaitRunwareGuide"/>). The task answers synchronously, so each attempt goes out under
/// a fresh taskUUID (a repeat would be refused as a duplicate) and the one that succeeded is reported.
/// </summary>
public sealed class GuideMaker(IRunwareClient runware)
{
    /// <summary>
    /// The guide made from <paramref name="image"/> (as Runware takes it: an imageUUID, a URL, or the photo itself as a data
    /// URI, which Runware documents for <c>inputImage</c>), or the error Runware refused it with.
    /// </summary>
    /// <exception cref="TransientFluxException">Runware failed for now (after the client's own retries).</exception>
    public async Task<RunwarePreprocessResult> MakeAsync(EditSpec spec, string image, int width, int height, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var depth = spec.Tool.Describe().Guide == GuideKind.Depth;
        var task = RunwareTaskBuilder.BuildPreprocess(
            Guid.NewGuid(),
            image,
            depth ? PreprocessorType.Depth : PreprocessorType.Canny,
            width,
            height,
            depth ? null : spec.Preprocess.LowThreshold,
            depth ? null : spec.Preprocess.HighThreshold);
        try
        {
            var result = await runware.PreprocessAsync(task, cancellationToken).ConfigureAwait(false);
            return new RunwarePreprocessResult(result.GuideImageUUID, result.Cost, null, (string?)task["taskUUID"], result.InputImageUUID);
        }
        catch (PermanentFluxException ex)
        {
            return new RunwarePreprocessResult(null, null, ex.First);
        }
    }
}
