using FluxFunctions.Requests;

namespace FluxFunctions.Requests.Tools;

/// <summary>Runware model identifiers of the FLUX Tools (SPEC §1); which tool runs on which is in <see cref="ToolCatalog"/>.</summary>
public static class FluxModels
{
    public const string Fill = "runware:102@1";
    public const string Depth = "runware:103@1";
    public const string Canny = "runware:104@1";
    public const string Redux = "runware:105@1";

    /// <summary>FLUX Erase (runware.ai/docs/models/bfl-flux-erase).</summary>
    public const string Erase = "bfl:flux@erase";

    /// <summary>FLUX.1 Kontext [dev], [pro] and [max] (runware.ai/docs/models/flux-1-kontext-dev, bfl-flux-1-kontext-pro, -max).</summary>
    public const string KontextDev = "runware:106@1";
    public const string KontextPro = "bfl:3@1";
    public const string KontextMax = "bfl:4@1";

    /// <summary>FLUX.1 Fill [pro] (runware-facts §10: task_map.py BflFlux1FillProParams; old-docs providers/bfl).</summary>
    public const string FillPro = "bfl:1@2";

    /// <summary>The model named in the <c>model</c> field of the inference task.</summary>
    public static string For(FluxTool tool, string? reduxBase = null)
    {
        var description = ToolCatalog.Get(tool);
        return description.ModelIsBase ? reduxBase ?? description.DefaultModel : description.DefaultModel;
    }

    public static bool IsToolModel(string model) => ToolCatalog.IsToolModel(model);
}
