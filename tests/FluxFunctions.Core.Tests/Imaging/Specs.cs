using FluxFunctions.ImageRules;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>Validated edits for the imaging tests (as <see cref="EditSpecValidator"/> would produce them).</summary>
internal static class Specs
{
    public static EditSpec Fill(int grow = 0, int feather = EditDefaults.MaskFeather, OutpaintSpec? outpaint = null, OutputFormat format = OutputFormat.PNG, bool stitch = true, ContextMode context = ContextMode.Auto, double? margin = null, bool colorMatch = true) =>
        new() { Tool = FluxTool.Fill, Prompt = "a red bicycle", MaskGrow = grow, MaskFeather = feather, Outpaint = outpaint, OutputFormat = format, Stitch = stitch, Context = new ContextSpec(context, margin), ColorMatch = colorMatch };

    public static EditSpec Canny(PreprocessMode mode = PreprocessMode.Local, int? width = null, int? height = null) =>
        new() { Tool = FluxTool.Canny, Prompt = "a house", Preprocess = PreprocessSpec.Default with { Mode = mode }, Width = width, Height = height };

    public static EditSpec Depth(PreprocessMode mode = PreprocessMode.Runware) =>
        new() { Tool = FluxTool.Depth, Prompt = "a house", Preprocess = PreprocessSpec.Default with { Mode = mode } };

    public static EditSpec Redux() => new() { Tool = FluxTool.Redux };
}
