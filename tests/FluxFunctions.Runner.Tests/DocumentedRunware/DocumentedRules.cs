using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FluxFunctions.Runner.Tests.DocumentedRunware;

/// <summary>
/// The request rules Runware's documentation states, and only those, each with the page that states it. Written from
/// the pages (see README.md in this folder), not from the project's emulator or client. Every broken rule becomes one
/// error object in the shape of the errors page (<c>code</c>, <c>message</c>, <c>parameter</c>, <c>taskType</c>,
/// <c>taskUUID</c>, <c>documentation</c>); the codes themselves are ours (the errors page names only examples such as
/// <c>invalidApiKey</c> and <c>timeoutProvider</c>, and says codes are "being standardized").
/// </summary>
internal static partial class DocumentedRules
{
    /// <summary>FLUX Tools page: FLUX Fill.</summary>
    public const string FillModel = "runware:102@1";

    /// <summary>FLUX Tools page: FLUX Depth.</summary>
    public const string DepthModel = "runware:103@1";

    /// <summary>FLUX Tools page: FLUX Canny.</summary>
    public const string CannyModel = "runware:104@1";

    /// <summary>FLUX Tools page: FLUX Redux (an IP-Adapter model, used inside <c>ipAdapters</c>).</summary>
    public const string ReduxModel = "runware:105@1";

    private const string ApiReference = "https://runware.ai/docs/en/image-inference/api-reference";
    private const string FluxTools = "https://runware.ai/docs/en/image-inference/flux-tools";
    private const string ImageUpload = "https://runware.ai/docs/en/utilities/image-upload";
    private const string TaskResponses = "https://runware.ai/docs/en/utilities/task-responses";

    /// <summary>The task types this stand-in serves.</summary>
    public static readonly IReadOnlySet<string> TaskTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "imageInference", "imageUpload", "controlNetPreprocess", "getResponse", "getTaskDetails",
    };

    /// <summary>
    /// Rules every task shares. <c>taskType</c> "string required"; <c>taskUUID</c> "string required UUID v4" (api-reference,
    /// image-upload, task-responses pages: "you must include a random UUID v4 string").
    /// </summary>
    public static IEnumerable<JsonObject> Common(JsonObject task)
    {
        var type = Str(task, "taskType");
        var id = Str(task, "taskUUID");
        if (type is null || !TaskTypes.Contains(type))
        {
            yield return Error("invalidTaskType", $"taskType '{type}' is not a task type this API serves.", "taskType", type, id, ApiReference + "#request-tasktype");
        }

        if (id is null || !IsUuidV4(id))
        {
            yield return Error("invalidTaskUUID", $"taskUUID '{id}' must be a UUID v4 string.", "taskUUID", type, id, TaskResponses + "#request-taskuuid");
        }
    }

    /// <summary>imageUpload (image-upload page): <c>image</c> "string required", a data URI, raw base64 or a public URL.</summary>
    public static IEnumerable<JsonObject> Upload(JsonObject task, Func<string, bool> knownImage) =>
        ImageField(task, "image", required: true, "imageUpload", Str(task, "taskUUID"), knownImage, ImageUpload + "#request-image", acceptsUuid: false);

    /// <summary>
    /// controlNetPreprocess: the FLUX Tools page ("Preparing guide images") shows <c>inputImage</c> and
    /// <c>preProcessorType</c> (<c>canny</c> for FLUX Canny, <c>depth</c> for FLUX Depth). Nothing else is checked.
    /// </summary>
    public static IEnumerable<JsonObject> Preprocess(JsonObject task, Func<string, bool> knownImage)
    {
        var id = Str(task, "taskUUID");
        foreach (var e in ImageField(task, "inputImage", required: true, "controlNetPreprocess", id, knownImage, FluxTools + "#preparing-guide-images"))
        {
            yield return e;
        }

        if (string.IsNullOrEmpty(Str(task, "preProcessorType")))
        {
            yield return Error("missingPreProcessorType", "preProcessorType is required.", "preProcessorType", "controlNetPreprocess", id, FluxTools + "#preparing-guide-images");
        }
    }

    /// <summary>imageInference: the api-reference parameters, then the FLUX Tools page's rule for the model used.</summary>
    public static IEnumerable<JsonObject> Inference(JsonObject task, Func<string, bool> knownImage)
    {
        var id = Str(task, "taskUUID");
        var errors = new List<JsonObject>();
        void Add(string code, string message, string parameter, string doc) =>
            errors.Add(Error(code, message, parameter, "imageInference", id, doc));

        // api-reference: positivePrompt "string required"; "The length of the prompt must be between 2 and 3000 characters."
        // (__BLANK__ is its documented "no prompt" token and is itself 9 characters.)
        if (Str(task, "positivePrompt") is not { } prompt)
        {
            Add("missingPositivePrompt", "positivePrompt is required.", "positivePrompt", ApiReference + "#request-positiveprompt");
        }
        else if (prompt.Length is < 2 or > 3000)
        {
            Add("invalidPositivePrompt", "positivePrompt must be between 2 and 3000 characters.", "positivePrompt", ApiReference + "#request-positiveprompt");
        }

        // api-reference: negativePrompt, when given, 2 to 3000 characters.
        if (task.ContainsKey("negativePrompt") && Str(task, "negativePrompt") is not { Length: >= 2 and <= 3000 })
        {
            Add("invalidNegativePrompt", "negativePrompt must be between 2 and 3000 characters.", "negativePrompt", ApiReference + "#request-negativeprompt");
        }

        // api-reference: model "string required" (an AIR).
        var model = Str(task, "model");
        if (string.IsNullOrEmpty(model))
        {
            Add("missingModel", "model is required.", "model", ApiReference + "#request-model");
        }

        // api-reference: width and height "integer required Min: 128 Max: 2048", "The value must be divisible by 64".
        foreach (var side in new[] { "width", "height" })
        {
            if (!task.ContainsKey(side))
            {
                Add($"missing{Cap(side)}", $"{side} is required.", side, ApiReference + "#request-" + side);
            }
            else if (Int(task, side) is not { } v || v is < 128 or > 2048 || v % 64 != 0)
            {
                Add($"invalid{Cap(side)}", $"{side} must be an integer from 128 to 2048, divisible by 64.", side, ApiReference + "#request-" + side);
            }
        }

        // api-reference: steps "integer Min: 1 Max: 100"; CFGScale "float Min: 0 Max: 50"; numberResults "integer Min: 1 Max: 20";
        // seed "integer Min: 1"; outputQuality "integer Min: 20 Max: 99"; strength "float Min: 0 Max: 1";
        // maskMargin "integer Min: 32 Max: 128"; ttl "integer Min: 60".
        IntRange(task, "steps", 1, 100, Add);
        NumberRange(task, "CFGScale", 0, 50, Add);
        IntRange(task, "numberResults", 1, 20, Add);
        IntRange(task, "seed", 1, long.MaxValue, Add);
        IntRange(task, "outputQuality", 20, 99, Add);
        NumberRange(task, "strength", 0, 1, Add);
        IntRange(task, "maskMargin", 32, 128, Add);
        IntRange(task, "ttl", 60, long.MaxValue, Add);

        // api-reference: outputType "base64Data" | "dataURI" | "URL"; outputFormat "JPG" | "PNG" | "WEBP";
        // deliveryMethod "sync" | "async".
        OneOf(task, "outputType", ["base64Data", "dataURI", "URL"], Add);
        OneOf(task, "outputFormat", ["JPG", "PNG", "WEBP"], Add);
        OneOf(task, "deliveryMethod", ["sync", "async"], Add);

        // api-reference: safety has two properties, checkContent (boolean) and mode ("none" | "fast" | "full").
        if (task["safety"] is JsonNode safety)
        {
            if (safety is not JsonObject s
                || (s.ContainsKey("checkContent") && s["checkContent"]?.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
                || (s.ContainsKey("mode") && Str(s, "mode") is not ("none" or "fast" or "full")))
            {
                Add("invalidSafety", "safety is an object with checkContent (boolean) and mode (none, fast or full).", "safety", ApiReference + "#request-safety");
            }
        }

        // api-reference: webhookURL "Specifies a webhook URL where JSON responses will be sent via HTTP POST".
        if (task.ContainsKey("webhookURL") && (Str(task, "webhookURL") is not { } hook || !IsUrl(hook)))
        {
            Add("invalidWebhookURL", "webhookURL must be an http(s) URL.", "webhookURL", ApiReference + "#request-webhookurl");
        }

        // api-reference: seedImage / maskImage are a UUID v4 of an uploaded or generated image, a data URI, base64 or a
        // public URL; "Supported formats are: PNG, JPG and WEBP."
        errors.AddRange(ImageField(task, "seedImage", required: false, "imageInference", id, knownImage, ApiReference + "#request-seedimage"));
        errors.AddRange(ImageField(task, "maskImage", required: false, "imageInference", id, knownImage, ApiReference + "#request-maskimage"));

        switch (model)
        {
            case FillModel:
                // FLUX Tools page, FLUX Fill usage: "Provide seedImage and maskImage as you would for standard inpainting."
                // api-reference: maskImage "When doing inpainting, this parameter is required"; seedImage required for
                // inpainting and outpainting, so a Fill without a mask is accepted only with outpaint.
                Require(task, "seedImage", "FLUX Fill needs the image to edit in seedImage.", FluxTools + "#usage", Add);
                if (!task.ContainsKey("maskImage") && !task.ContainsKey("outpaint"))
                {
                    Add("missingMaskImage", "FLUX Fill needs maskImage (or outpaint).", "maskImage", FluxTools + "#usage");
                }

                // FLUX Tools page: "FLUX Fill does not support the maskMargin parameter"; "The strength parameter is also
                // not compatible with this model".
                Forbid(task, "maskMargin", "FLUX Fill does not support maskMargin.", FluxTools + "#usage", Add);
                Forbid(task, "strength", "strength is not compatible with FLUX Fill.", FluxTools + "#usage", Add);
                break;

            case CannyModel or DepthModel:
                // FLUX Tools page, Canny/Depth usage: "Provide the structural guide image (edge map or depth map) directly in
                // the seedImage parameter"; "don't require a controlNet object. Instead, the guide image is provided
                // directly in the seedImage parameter"; "There is no weight parameter for FLUX Canny/Depth."
                Require(task, "seedImage", "FLUX Canny/Depth take the guide image in seedImage.", FluxTools + "#usage-1", Add);
                Forbid(task, "controlNet", "FLUX Canny/Depth take the guide in seedImage, not in a controlNet object.", FluxTools + "#usage-1", Add);
                Forbid(task, "weight", "There is no weight parameter for FLUX Canny/Depth.", FluxTools + "#usage-1", Add);
                break;

            case ReduxModel:
                // FLUX Tools page, Redux usage: runware:105@1 is the IP-Adapter, "Use a FLUX base model ... as the base model".
                Add("invalidModel", "runware:105@1 (FLUX Redux) is an IP-Adapter: put it in ipAdapters on a FLUX base model.", "model", FluxTools + "#usage-2");
                break;
        }

        if (task["ipAdapters"] is JsonNode adapters)
        {
            if (adapters is not JsonArray list || list.Count == 0)
            {
                Add("invalidIpAdapters", "ipAdapters must be a non-empty array.", "ipAdapters", ApiReference + "#request-ipadapters");
            }
            else
            {
                foreach (var adapter in list)
                {
                    if (adapter is not JsonObject a)
                    {
                        Add("invalidIpAdapters", "every ipAdapters entry is an object.", "ipAdapters", ApiReference + "#request-ipadapters");
                        continue;
                    }

                    // api-reference ipAdapters example and FLUX Tools page: each entry has model and guideImage.
                    if (string.IsNullOrEmpty(Str(a, "model")))
                    {
                        Add("missingIpAdaptersModel", "every ipAdapters entry needs a model.", "ipAdapters.model", ApiReference + "#request-ipadapters");
                    }

                    foreach (var e in ImageField(a, "guideImage", required: true, "imageInference", id, knownImage, FluxTools + "#usage-2"))
                    {
                        e["parameter"] = "ipAdapters.guideImage";
                        errors.Add(e);
                    }

                    if (Str(a, "model") == ReduxModel)
                    {
                        // FLUX Tools page: "There is no weight parameter for FLUX Redux."; "Use a FLUX base model (typically
                        // FLUX dev model - runware:101@1) as the base model" -- so not one of the FLUX Tools models.
                        if (a.ContainsKey("weight"))
                        {
                            Add("unsupportedWeight", "There is no weight parameter for FLUX Redux.", "ipAdapters.weight", FluxTools + "#usage-2");
                        }

                        if (model is FillModel or CannyModel or DepthModel or ReduxModel)
                        {
                            Add("invalidModel", "FLUX Redux runs on a FLUX base model (e.g. runware:101@1), not on a FLUX Tools model.", "model", FluxTools + "#usage-2");
                        }
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>An error object in the errors page's shape.</summary>
    public static JsonObject Error(string code, string message, string? parameter, string? taskType, string? taskUuid, string documentation)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (parameter is not null)
        {
            error["parameter"] = parameter;
        }

        if (taskType is not null)
        {
            error["taskType"] = taskType;
        }

        if (taskUuid is not null)
        {
            error["taskUUID"] = taskUuid;
        }

        error["documentation"] = documentation;
        return error;
    }

    public static string? Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Int(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue<long>(out var l) ? l : null;

    public static bool IsUuidV4(string s) => Guid.TryParseExact(s, "D", out var g) && g.Version == 4 && (g.Variant & 0b1100) == 0b1000;

    /// <summary>
    /// An image given by value: a data URI <c>data:&lt;mediaType&gt;;base64,</c> of PNG, JPG or WEBP, or raw base64.
    /// (URLs are checked by fetching them: "The image must be accessible publicly.")
    /// </summary>
    public static bool IsImageData(string s)
    {
        if (s.StartsWith("data:", StringComparison.Ordinal))
        {
            var m = DataUri().Match(s);
            return m.Success && IsBase64(s[m.Length..]);
        }

        return s.Length > 16 && IsBase64(s);
    }

    /// <summary>An absolute http(s) URL.</summary>
    public static bool IsUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// An image field: the UUID v4 of an image this account uploaded or generated (<paramref name="knownImage"/>), a
    /// PNG/JPG/WEBP data URI or base64, or a public URL that <paramref name="knownImage"/> says was fetched as an image.
    /// </summary>
    private static IEnumerable<JsonObject> ImageField(JsonObject o, string name, bool required, string taskType, string? id, Func<string, bool> knownImage, string doc, bool acceptsUuid = true)
    {
        if (!o.ContainsKey(name))
        {
            if (required)
            {
                yield return Error($"missing{Cap(name)}", $"{name} is required.", name, taskType, id, doc);
            }

            yield break;
        }

        var value = Str(o, name);
        var ok = value switch
        {
            null => false,
            _ when Guid.TryParse(value, out _) => acceptsUuid && IsUuidV4(value) && knownImage(value),
            _ when IsUrl(value) => knownImage(value),
            _ => IsImageData(value),
        };
        if (!ok)
        {
            yield return Error($"invalid{Cap(name)}", $"{name} must be the UUID v4 of an uploaded or generated image, a PNG/JPG/WEBP data URI, base64 data or a publicly readable URL of a PNG/JPG/WEBP image.", name, taskType, id, doc);
        }
    }

    private static void Require(JsonObject task, string name, string message, string doc, Action<string, string, string, string> add)
    {
        if (!task.ContainsKey(name))
        {
            add($"missing{Cap(name)}", message, name, doc);
        }
    }

    private static void Forbid(JsonObject task, string name, string message, string doc, Action<string, string, string, string> add)
    {
        if (task.ContainsKey(name))
        {
            add($"unsupported{Cap(name)}", message, name, doc);
        }
    }

    private static void IntRange(JsonObject task, string name, long min, long max, Action<string, string, string, string> add)
    {
        if (task.ContainsKey(name) && (Int(task, name) is not { } v || v < min || v > max))
        {
            add($"invalid{Cap(name)}", $"{name} must be an integer from {min} to {max}.", name, Anchor(name));
        }
    }

    private static void NumberRange(JsonObject task, string name, double min, double max, Action<string, string, string, string> add)
    {
        if (task.ContainsKey(name)
            && (task[name] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.Number || !v.TryGetValue<double>(out var d) || d < min || d > max))
        {
            add($"invalid{Cap(name)}", $"{name} must be a number from {min} to {max}.", name, Anchor(name));
        }
    }

    private static void OneOf(JsonObject task, string name, string[] values, Action<string, string, string, string> add)
    {
        if (task.ContainsKey(name) && (Str(task, name) is not { } v || !values.Contains(v, StringComparer.Ordinal)))
        {
            add($"invalid{Cap(name)}", $"{name} must be one of {string.Join(", ", values)}.", name, Anchor(name));
        }
    }

    private static bool IsBase64(string s)
    {
        var buffer = new byte[(s.Length * 3 / 4) + 3];
        return s.Length > 0 && Convert.TryFromBase64String(s, buffer, out _);
    }

    private static string Anchor(string name) => ApiReference + "#request-" + new string([.. name.Select(char.ToLowerInvariant)]);

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    [GeneratedRegex("^data:image/(png|jpeg|jpg|webp);base64,", RegexOptions.CultureInvariant)]
    private static partial Regex DataUri();
}
