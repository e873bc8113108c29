using System.Text.Json.Nodes;

namespace FluxFunctions.Cli.Api;

/// <summary>
/// One edit to submit: the JSON options (with <c>tool</c>, and <c>image</c>/<c>mask</c> when they are references such as
/// https URLs) and the local files to upload as the <c>image</c> and <c>mask</c> parts.
/// </summary>
internal sealed record EditUpload(JsonObject Options, string? ImagePath, string? MaskPath)
{
    /// <summary>A local reference image to upload (fill: <c>reference</c>; kontext: <c>references</c>).</summary>
    public string? ReferencePath { get; init; }

    /// <summary>The form part the reference goes in: the tool's reference field.</summary>
    public string ReferenceField { get; init; } = "reference";
}
