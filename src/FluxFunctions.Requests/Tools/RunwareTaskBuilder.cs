using System.Globalization;
using System.Text.Json.Nodes;
using FluxFunctions.Requests;

namespace FluxFunctions.Requests.Tools;

/// <summary>
/// Builds the Runware <c>imageInference</c> task of each FLUX tool exactly as SPEC §1 says, from the tool's
/// <see cref="ToolDescription"/> (model, prompt rule, whether the size is sent, where the images go). This is the one
/// place where the tool rules become JSON.
/// </summary>
public static class RunwareTaskBuilder
{
    /// <summary>The prompt keyword Runware takes for "no prompt" (pure Redux variations).</summary>
    public const string BlankPrompt = "__BLANK__";

    /// <summary>Builds the inference task.</summary>
    /// <param name="spec">The validated edit.</param>
    /// <param name="images">Where the seed (or guide) and mask images are.</param>
    /// <param name="taskUuid">A UUIDv4, fresh per task and stable across retries of the same task.</param>
    /// <param name="width">Output width, a valid size.</param>
    /// <param name="height">Output height, a valid size.</param>
    /// <param name="async">Submit with <c>deliveryMethod: "async"</c> (the pipeline always does).</param>
    /// <param name="webhookUrl">When set, Runware posts the result there.</param>
    public static JsonObject BuildInference(EditSpec spec, InferenceImages images, Guid taskUuid, int width, int height, bool async = true, string? webhookUrl = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(images);

        var tool = ToolCatalog.Get(spec.Tool);
        var task = new JsonObject
        {
            ["taskType"] = "imageInference",
            ["taskUUID"] = taskUuid.ToString("D"),
            ["model"] = tool.ModelFor(spec),
        };
        if (PromptFor(spec, tool) is { } prompt)
        {
            task["positivePrompt"] = prompt;
        }

        if (tool.SendsSize)
        {
            task["width"] = width;
            task["height"] = height;
        }

        task["numberResults"] = spec.NumberResults;
        task["outputType"] = "URL";
        task["outputFormat"] = spec.OutputFormat.ToString();
        if (spec.OutputQuality is { } quality)
        {
            task["outputQuality"] = quality;
        }
        task["includeCost"] = true;
        if (SafetyFor(spec.Safety) is { } safety)
        {
            task["safety"] = safety;
        }

        tool.Images.Place(task, images, tool);

        if (spec.Steps is { } steps)
        {
            task["steps"] = steps;
        }

        if (spec.CfgScale is { } cfg)
        {
            task["CFGScale"] = cfg;
        }

        if (spec.Seed is { } seed)
        {
            task["seed"] = seed;
        }

        if (async)
        {
            task["deliveryMethod"] = "async";
        }

        if (webhookUrl is not null)
        {
            task["webhookURL"] = webhookUrl;
        }

        return task;
    }

    /// <summary>Builds an <c>imageUpload</c> task.</summary>
    public static JsonObject BuildUpload(Guid taskUuid, string image) => new()
    {
        ["taskType"] = "imageUpload",
        ["taskUUID"] = taskUuid.ToString("D"),
        ["image"] = image,
    };

    /// <summary>Builds a <c>controlNetPreprocess</c> task (canny or depth on Runware).</summary>
    public static JsonObject BuildPreprocess(Guid taskUuid, string inputImage, PreprocessorType type, int? width = null, int? height = null, int? low = null, int? high = null, string outputType = "URL")
    {
        var task = new JsonObject
        {
            ["taskType"] = "controlNetPreprocess",
            ["taskUUID"] = taskUuid.ToString("D"),
            ["inputImage"] = inputImage,
            ["preProcessorType"] = type == PreprocessorType.Canny ? "canny" : "depth",
            ["outputType"] = outputType,
            ["outputFormat"] = "PNG",
            ["includeCost"] = true,
        };
        if (width is { } w)
        {
            task["width"] = w;
        }

        if (height is { } h)
        {
            task["height"] = h;
        }

        if (type == PreprocessorType.Canny)
        {
            task["lowThresholdCanny"] = low ?? EditDefaults.CannyLow;
            task["highThresholdCanny"] = high ?? EditDefaults.CannyHigh;
        }

        return task;
    }

    /// <summary>Builds a <c>getResponse</c> poll for an async task.</summary>
    public static JsonObject BuildGetResponse(string taskUuid) => new()
    {
        ["taskType"] = "getResponse",
        ["taskUUID"] = taskUuid,
    };

    /// <summary>
    /// <c>getTaskDetails</c>: the original request and response of a task Runware ran (runware.ai/docs/platform/task-details);
    /// the taskUUID names the task to look up.
    /// </summary>
    public static JsonObject BuildGetTaskDetails(string taskUuid) => new()
    {
        ["taskType"] = "getTaskDetails",
        ["taskUUID"] = taskUuid,
    };

    /// <summary>
    /// Runware's <c>safety</c> object for a policy, or null when nothing is checked (then the task carries none):
    /// <c>checkContent: true</c> (documented: image-inference api-reference and the model pages; "when enabled, defaults
    /// to fast mode"), and for inputs too <c>checkInputs: true</c> (assumed: only in the SDK's <c>ISafety</c>, not in the
    /// current docs).
    /// </summary>
    public static JsonObject? SafetyFor(SafetySpec safety)
    {
        ArgumentNullException.ThrowIfNull(safety);
        return safety.Check switch
        {
            SafetyCheck.Outputs => new JsonObject { ["checkContent"] = true },
            SafetyCheck.InputsAndOutputs => new JsonObject { ["checkContent"] = true, ["checkInputs"] = true },
            _ => null,
        };
    }

    private static string? PromptFor(EditSpec spec, ToolDescription tool) => tool.Prompt switch
    {
        PromptUse.Forbidden => null,
        PromptUse.Optional when string.IsNullOrWhiteSpace(spec.Prompt) => BlankPrompt,
        _ => spec.Prompt,
    };

    internal static string Invariant(double d) => d.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Runware's <c>preProcessorType</c> values we use.</summary>
public enum PreprocessorType
{
    Canny,
    Depth,
}
