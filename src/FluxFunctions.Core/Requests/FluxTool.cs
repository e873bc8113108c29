using System.Text.Json.Serialization;

namespace FluxFunctions.Core.Requests;

/// <summary>The four FLUX Tools models (SPEC §1).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FluxTool>))]
public enum FluxTool
{
    /// <summary>Inpainting and outpainting with FLUX.1 Fill (runware:102@1).</summary>
    Fill,

    /// <summary>Structure from a Canny edge map with FLUX.1 Canny (runware:104@1).</summary>
    Canny,

    /// <summary>Structure from a depth map with FLUX.1 Depth (runware:103@1).</summary>
    Depth,

    /// <summary>Image variations with FLUX.1 Redux (runware:105@1) on a FLUX base model.</summary>
    Redux,
}

/// <summary>Parsing and naming of <see cref="FluxTool"/> as it appears in folders and JSON.</summary>
public static class FluxTools
{
    public static IReadOnlyList<FluxTool> All { get; } = [FluxTool.Fill, FluxTool.Canny, FluxTool.Depth, FluxTool.Redux];

    /// <summary>The lower-case name used in blob folders, JSON and routes.</summary>
    public static string Name(this FluxTool tool) => tool switch
    {
        FluxTool.Fill => "fill",
        FluxTool.Canny => "canny",
        FluxTool.Depth => "depth",
        FluxTool.Redux => "redux",
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, null),
    };

    public static bool TryParse(string? value, out FluxTool tool)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "fill": tool = FluxTool.Fill; return true;
            case "canny": tool = FluxTool.Canny; return true;
            case "depth": tool = FluxTool.Depth; return true;
            case "redux": tool = FluxTool.Redux; return true;
            default: tool = default; return false;
        }
    }

    public static string Known => "fill, canny, depth, redux";
}
