using System.Text.Json.Serialization;

namespace FluxFunctions.Requests;

/// <summary>Where the guide image of Canny and Depth comes from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PreprocessMode>))]
public enum PreprocessMode
{
    /// <summary>Computed here (Canny only): no extra API call, no extra cost.</summary>
    Local,

    /// <summary>Runware's <c>controlNetPreprocess</c> task.</summary>
    Runware,

    /// <summary>The input already is the guide (an edge map or a depth map).</summary>
    None,
}
