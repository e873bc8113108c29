using System.Collections.Frozen;
using System.Text.RegularExpressions;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// The <c>documentation</c> link of an error, which Runware describes as "a link to relevant documentation for the
/// parameter": the page of the error's code when it has one (rate limits), of the parameter when it has its own page
/// (webhooks), else the page of the task type with the parameter's anchor, else the errors page.
/// </summary>
internal static partial class DocumentationLinks
{
    /// <summary>Runware's errors page, for errors of no task (401, 402, 403, 5xx).</summary>
    public const string Errors = "https://runware.ai/docs/platform/errors";

    private static readonly FrozenDictionary<string, string> ByCode = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ErrorCodes.RateLimitExceeded] = "https://runware.ai/docs/platform/rate-limits",
        [ErrorCodes.TimeoutProvider] = "https://runware.ai/docs/platform/rate-limits",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> ByParameter = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["webhookURL"] = "https://runware.ai/docs/platform/webhooks",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> ByTaskType = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TaskTypes.ImageInference] = "https://runware.ai/docs/image-inference/api-reference",
        [TaskTypes.ImageUpload] = "https://runware.ai/docs/utilities/image-upload",
        [TaskTypes.ControlNetPreprocess] = "https://runware.ai/docs/image-editing/controlnet-tools",
        [TaskTypes.GetResponse] = "https://runware.ai/docs/platform/task-polling",
        [TaskTypes.GetTaskDetails] = "https://runware.ai/docs/platform/task-details",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The link for an error of this code, task type and parameter (each may be absent).</summary>
    public static string For(string code, string? taskType, string? parameter)
    {
        if (ByCode.TryGetValue(code, out var codePage))
        {
            return codePage;
        }

        if (parameter is not null && ByParameter.TryGetValue(parameter, out var parameterPage))
        {
            return parameterPage;
        }

        if (taskType is null || !ByTaskType.TryGetValue(taskType, out var taskPage))
        {
            return Errors;
        }

        return parameter is null ? taskPage : $"{taskPage}#request-{Anchor(parameter)}";
    }

    /// <summary><c>ipAdapters[0].guideImage</c> → <c>ipadapters-guideimage</c>.</summary>
    private static string Anchor(string parameter) =>
        IndexPattern().Replace(parameter, string.Empty).Replace('.', '-').ToLowerInvariant();

    [GeneratedRegex(@"\[\d*\]", RegexOptions.CultureInvariant)]
    private static partial Regex IndexPattern();
}
