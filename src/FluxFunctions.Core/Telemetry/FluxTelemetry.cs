using System.Diagnostics;
using FluxFunctions.Errors;

namespace FluxFunctions.Core.Telemetry;

/// <summary>
/// Traces of the pipeline: one span per stage (activity) with the job id, tool and model as attributes, on the
/// <see cref="SourceName"/> activity source that both hosts export (OpenTelemetry). The tags come from the messages
/// themselves (<see cref="ITracedInput"/>, <see cref="ITracedOutput"/>). Spans never carry a secret: no API key, no SAS
/// URL, no prompt, no image data.
/// </summary>
public static class FluxTelemetry
{
    public const string SourceName = "FluxFunctions";
    public const string JobIdTag = "flux.job_id";
    public const string ToolTag = "flux.tool";
    public const string ModelTag = "flux.model";
    public const string StageTag = "flux.stage";
    public const string ErrorCodeTag = "flux.error_code";
    public const string TaskUuidTag = "flux.runware.task_uuid";

    public static ActivitySource Source { get; } = new(SourceName, typeof(FluxTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of one activity (stage) of a job, tagged from its input (<see cref="ITracedInput"/>).</summary>
    public static Activity? StartStage(string stage, object? input, string? instanceId)
    {
        var activity = Source.StartActivity(stage, ActivityKind.Internal);
        if (activity is null)
        {
            return null;
        }

        var tags = input is ITracedInput traced ? traced.Tags : default;
        activity.SetTag(StageTag, stage);
        activity.SetTag(JobIdTag, tags.JobId ?? instanceId);
        activity.SetTag(ToolTag, tags.Tool);
        activity.SetTag(ModelTag, tags.Model);
        activity.SetTag(TaskUuidTag, tags.TaskUuid);
        return activity;
    }

    /// <summary>Runs <paramref name="work"/> inside the span of <paramref name="stage"/> (work one activity does for another stage).</summary>
    public static async Task<T> TraceAsync<T>(string stage, ITracedInput input, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = StartStage(stage, input, null);
        try
        {
            var output = await work().ConfigureAwait(false);
            Complete(span, output);
            return output;
        }
        catch (Exception ex)
        {
            Fail(span, ex);
            throw;
        }
    }

    /// <summary>Marks the span failed when the stage returned or threw a problem.</summary>
    public static void Complete(Activity? activity, object? output)
    {
        if (activity is null)
        {
            return;
        }

        if (ErrorOf(output) is { } error)
        {
            activity.SetTag(ErrorCodeTag, error.Code);
            activity.SetStatus(ActivityStatusCode.Error, error.Code);
        }
        else
        {
            activity.SetStatus(ActivityStatusCode.Ok);
        }
    }

    /// <summary>Marks the span failed by an exception (type only: messages may quote user data).</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity?.SetTag(ErrorCodeTag, exception is PermanentFluxException p ? p.First.Code : exception.GetType().Name);
    }

    private static FluxError? ErrorOf(object? output) => (output as ITracedOutput)?.Error;
}
