using System.Text.Json.Serialization;

namespace FluxFunctions.ImageRules;

/// <summary>
/// How Fill crops to the masked region before inference: <c>auto</c> (when the mask covers little of the image), <c>off</c>
/// or <c>always</c>. One type for the request's option and the image work's planner, so a new mode is added once.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContextMode>))]
public enum ContextMode
{
    Auto,
    Off,
    Always,
}
