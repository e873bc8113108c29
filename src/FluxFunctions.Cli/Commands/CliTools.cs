using System.CommandLine;

namespace FluxFunctions.Cli.Commands;

/// <summary>One tool as the CLI offers it: its subcommand, help, whether it takes <c>--mask</c>, and its own flags.</summary>
/// <param name="Name">The <c>tool</c> value (and the subcommand of <c>flux edit</c>).</param>
/// <param name="Description">The subcommand's help.</param>
/// <param name="MaskHelp">The help of <c>--mask</c>; null when the tool takes no mask.</param>
/// <param name="Flags">The tool's own flags, beyond the common ones.</param>
/// <param name="ReferenceField">The API field <c>--reference</c> fills (<c>reference</c> or <c>references</c>); null when the tool takes no reference image.</param>
internal sealed record CliTool(string Name, string Description, string? MaskHelp, Func<EditFlags, IEnumerable<Option>> Flags, string? ReferenceField = null);

/// <summary>
/// The tools of <c>flux edit</c> and <c>flux batch</c>, as data. The CLI talks to the HTTP API only (no product library,
/// SPEC §3), so it cannot read the server's tool catalog in process: this list mirrors <c>GET /api/tools</c>, and a test
/// keeps the two equal. Adding a tool is one row here.
/// </summary>
internal static class CliTools
{
    public static IReadOnlyList<CliTool> All { get; } =
    [
        new("fill", "Inpaint (paint a mask: white = regenerate) or outpaint (--outpaint) with FLUX.1 Fill.", "fill: the mask image (white = regenerate)", f => f.Fill, "reference"),
        new("fill-pro", "Inpaint (white = regenerate) or outpaint (--outpaint) with FLUX.1 Fill [pro]; no --width/--height (the output follows the input).", "fill-pro: the mask image (white = regenerate)", f => f.FillPro),
        new("canny", "Keep the structure of the image's edges (Canny) with FLUX.1 Canny.", null, f => f.Canny),
        new("depth", "Keep the image's depth layout with FLUX.1 Depth.", null, f => f.Depth),
        new("redux", "Variations of the image with FLUX.1 Redux (the prompt is optional).", null, f => f.Redux),
        new("erase", "Remove what the mask covers with FLUX Erase (no prompt).", "erase: the mask image (white = remove)", f => f.Erase),
        new("kontext", "Edit the image by instruction (\"make the sky stormy\") with FLUX.1 Kontext (--model dev, pro or max).", null, f => f.Kontext, "references"),
    ];

    /// <summary>The tool names in order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(t => t.Name)];

    /// <summary>The names joined with <c>|</c>, for help.</summary>
    public static string Choices { get; } = string.Join('|', Names);

    public static CliTool? Find(string? name) => All.FirstOrDefault(t => t.Name == name);
}
