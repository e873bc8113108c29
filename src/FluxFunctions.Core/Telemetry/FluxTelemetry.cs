using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Tools;

namespace FluxFunctions.Core.Telemetry;

/// <summary>
/// Traces of the pipeline: one span per stage (activity) with the job id, tool and model as attributes, on the
/// <see cref="SourceName"/> activity source that both hosts export (OpenTelemetry). Spans never carry a secret: no API
/// key, no SAS URL, no prompt, no image data.
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

    private const int MaxRemembered = 4096;
    private static readonly ConcurrentDictionary<string, (string Tool, string Model)> Jobs = new(StringComparer.Ordinal);

    public static ActivitySource Source { get; } = new(SourceName, typeof(FluxTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of one activity (stage) of a job.</summary>
    public static Activity? StartStage(string stage, object? input, string? instanceId)
    {
        var activity = Source.StartActivity(stage, ActivityKind.Internal);
        if (activity is null)
        {
            return null;
        }

        var (jobId, tool, model, task) = Describe(input);
        jobId ??= instanceId;
        if (jobId is not null)
        {
            if (tool is not null)
            {
                Remember(jobId, tool, model ?? "");
            }
            else if (Jobs.TryGetValue(jobId, out var known))
            {
                (tool, model) = (known.Tool, known.Model.Length == 0 ? null : known.Model);
            }
        }

        activity.SetTag(StageTag, stage);
        activity.SetTag(JobIdTag, jobId);
        activity.SetTag(ToolTag, tool);
        activity.SetTag(ModelTag, model);
        activity.SetTag(TaskUuidTag, task);
        return activity;
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

    private static void Remember(string jobId, string tool, string model)
    {
        if (Jobs.Count > MaxRemembered)
        {
            Jobs.Clear();
        }

        Jobs[jobId] = (tool, model);
    }

    private static (string? JobId, string? Tool, string? Model, string? Task) Describe(object? input) => input switch
    {
        ResolveCompanionsInput i => (i.Job.JobId, i.Job.Tool?.Name(), i.Job.Tool is { } t ? FluxModels.For(t) : null, null),
        PrepareInputsInput i => (i.JobId, i.Spec.Tool.Name(), FluxModels.For(i.Spec.Tool, i.Spec.BaseModel), null),
        SubmitInferenceInput i => (i.JobId, null, ModelOf(i.TaskJson), i.TaskUuid),
        PollInferenceInput i => (null, null, null, i.TaskUuid),
        StoreOutputsInput i => (i.JobId, i.Spec.Tool.Name(), FluxModels.For(i.Spec.Tool, i.Spec.BaseModel), null),
        ReleaseSlotInput i => (null, null, null, i.TaskUuid),
        _ => (null, null, null, null),
    };

    private static string? ModelOf(string taskJson)
    {
        try
        {
            return (string?)JsonNode.Parse(taskJson)?["model"];
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static FluxError? ErrorOf(object? output) => output switch
    {
        CompanionsResult r => r.Error,
        PrepareInputsResult r => r.Error,
        RunwarePreprocessResult r => r.Error,
        SubmitInferenceResult r => r.Error,
        PollInferenceResult r => r.Error,
        StoreOutputsResult r => r.Error,
        _ => null,
    };
}
