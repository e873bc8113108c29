using System.Text.Json.Nodes;

namespace FluxFunctions.Cli.Api;

/// <summary>
/// One edit to submit: the JSON options (with <c>tool</c>, and <c>image</c>/<c>mask</c> when they are references such as
/// https URLs) and the local files to upload as the <c>image</c> and <c>mask</c> parts.
/// </summary>
internal sealed record EditUpload(JsonObject Options, string? ImagePath, string? MaskPath);
