using FluxFunctions.Requests.Tools;
using Microsoft.AspNetCore.Http;

namespace FluxFunctions.Api;

/// <summary>One tool as clients see it (<c>GET /api/tools</c>), read from its <see cref="ToolDescription"/>.</summary>
/// <param name="Name">The <c>tool</c> value and blob folder.</param>
/// <param name="Title">A short display name.</param>
/// <param name="Summary">One line for help.</param>
/// <param name="Label">A few words for menus.</param>
/// <param name="Model">The Runware model (for a base-model tool, the default of <c>baseModel</c>).</param>
/// <param name="Mask"><c>none</c>, <c>required</c> or <c>requiredUnlessOutpaint</c>.</param>
/// <param name="MaskMeaning">What white means in the mask.</param>
/// <param name="Prompt"><c>required</c>, <c>optional</c> or <c>forbidden</c>.</param>
/// <param name="Guide"><c>none</c>, <c>canny</c> or <c>depth</c>.</param>
/// <param name="Fields">The tool-specific option fields it takes (<c>outpaint</c>, <c>preprocess</c>, <c>baseModel</c>, …).</param>
/// <param name="Refuses">Fields it refuses.</param>
/// <param name="SendsSize">Whether <c>width</c>/<c>height</c> reach the model.</param>
/// <param name="CropToContext">Whether the job is cropped to the mask.</param>
/// <param name="Stitches">Whether the result is stitched back into the original.</param>
/// <param name="Models">The models the request may choose with <c>model</c> (aliases; the first is the default); empty when there is no choice.</param>
public sealed record ToolInfo(
    string Name,
    string Title,
    string Summary,
    string Label,
    string Model,
    string Mask,
    string MaskMeaning,
    string Prompt,
    string Guide,
    IReadOnlyList<string> Fields,
    IReadOnlyList<string> Refuses,
    bool SendsSize,
    bool CropToContext,
    bool Stitches,
    IReadOnlyList<string> Models)
{
    public static ToolInfo From(ToolDescription tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return new ToolInfo(
            tool.Name,
            tool.Title,
            tool.Summary,
            tool.Label,
            tool.DefaultModel,
            Camel(tool.Mask.ToString()),
            tool.MaskMeaning,
            Camel(tool.Prompt.ToString()),
            Camel(tool.Guide.ToString()),
            [.. tool.Takes.Order(StringComparer.Ordinal)],
            [.. tool.Refuses.Keys.Order(StringComparer.Ordinal)],
            tool.SendsSize,
            tool.CropToContext,
            tool.Stitches,
            [.. tool.ModelChoices.Select(m => m.Alias)]);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary><c>GET /api/tools</c>: the tools this deployment offers and their rules, for the page and other clients (the runner serves it without a key, for its page).</summary>
public sealed class ToolsApi
{
    private readonly IReadOnlyList<ToolInfo> tools = [.. ToolCatalog.All.Select(ToolInfo.From)];

    public IResult Get() => Results.Json(new { tools }, ApiJson.Options);
}
