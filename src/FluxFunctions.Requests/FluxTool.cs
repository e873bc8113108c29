using System.Text.Json.Serialization;

namespace FluxFunctions.Requests;

/// <summary>The key of a tool; what the tool is and does is its <c>ToolDescription</c> in the tool catalog (<c>FluxFunctions.Requests.Tools</c>).</summary>
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

    /// <summary>Object removal with FLUX Erase (bfl:flux@erase): image and mask, no prompt.</summary>
    Erase,

    /// <summary>Instruction edits with FLUX.1 Kontext (runware:106@1 dev, bfl:3@1 pro, bfl:4@1 max): image and prompt.</summary>
    Kontext,

    /// <summary>Inpainting and outpainting with FLUX.1 Fill [pro] (bfl:1@2): image, mask and prompt; the output size follows the input.</summary>
    FillPro,
}
