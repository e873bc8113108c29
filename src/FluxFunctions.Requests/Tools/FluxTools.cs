using FluxFunctions.Requests;

namespace FluxFunctions.Requests.Tools;

/// <summary>Parsing and naming of <see cref="FluxTool"/> as it appears in folders and JSON, read from <see cref="ToolCatalog"/>.</summary>
public static class FluxTools
{
    public static IReadOnlyList<FluxTool> All { get; } = [.. ToolCatalog.All.Select(t => t.Key)];

    /// <summary>The lower-case name used in blob folders, JSON and routes.</summary>
    public static string Name(this FluxTool tool) => ToolCatalog.Get(tool).Name;

    /// <summary>The description of the tool: its models, inputs, fields and task shape.</summary>
    public static ToolDescription Describe(this FluxTool tool) => ToolCatalog.Get(tool);

    public static bool TryParse(string? value, out FluxTool tool)
    {
        var found = ToolCatalog.TryGet(value, out var description);
        tool = found ? description.Key : default;
        return found;
    }

    public static string Known => ToolCatalog.Known;
}
