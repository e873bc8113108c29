using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Tools;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>Turns the uploaded photo into a canny or depth guide with Runware's <c>controlNetPreprocess</c>.</summary>
public sealed class RunwarePreprocess(IRunwareClient runware) : FluxActivity<RunwarePreprocessInput, RunwarePreprocessResult>
{
    public override async Task<RunwarePreprocessResult> ExecuteAsync(RunwarePreprocessInput input, CancellationToken cancellationToken)
    {
        var taskUuid = Guid.NewGuid();
        var task = RunwareTaskBuilder.BuildPreprocess(
            taskUuid,
            input.Image,
            input.Depth ? PreprocessorType.Depth : PreprocessorType.Canny,
            input.Width,
            input.Height,
            input.Depth ? null : input.LowThreshold,
            input.Depth ? null : input.HighThreshold);
        try
        {
            var result = await runware.PreprocessAsync(task, cancellationToken).ConfigureAwait(false);
            return new RunwarePreprocessResult(result.GuideImageUUID, result.Cost, null, (string?)task["taskUUID"]);
        }
        catch (PermanentFluxException ex)
        {
            return new RunwarePreprocessResult(null, null, ex.First);
        }
    }
}
