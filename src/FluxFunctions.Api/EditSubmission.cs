using FluxFunctions.Errors;
using FluxFunctions.Requests;

namespace FluxFunctions.Api;

/// <summary>An image given with a request: as text (https URL, data URI, raw base64, <c>blob:</c>) or as an uploaded file.</summary>
/// <param name="Field"><c>image</c>, <c>mask</c>, <c>reference</c> or <c>references[i]</c>.</param>
/// <param name="Text">The text form, when given as text.</param>
/// <param name="Upload">The file's bytes, when uploaded.</param>
/// <param name="FileName">The uploaded file's name (used to name the outputs).</param>
public sealed record ImageInput(string Field, string? Text, byte[]? Upload, string? FileName);

/// <summary>What a request asked for, before the images are loaded: the options, the image inputs, and the problems so far.</summary>
/// <param name="References">The reference images (fill's <c>reference</c>, kontext's <c>references</c>), in order.</param>
public sealed record EditSubmission(EditOptions? Options, ImageInput? Image, ImageInput? Mask, IReadOnlyList<FluxError> Errors, IReadOnlyList<ImageInput>? References = null);
