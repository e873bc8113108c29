namespace FluxFunctions.Requests.Tools;

/// <summary>
/// How the images of one inference reach Runware: an <c>imageUUID</c> from <c>imageUpload</c>, a read-only SAS URL,
/// or (for tests) a data URI. <see cref="Seed"/> is the photo (Fill) or the guide (Canny, Depth, Redux).
/// </summary>
public sealed record InferenceImages(string Seed, string? Mask = null)
{
    /// <summary>Extra reference images (fill: the ACE++ reference; kontext: references after the image itself), in order.</summary>
    public IReadOnlyList<string> References { get; init; } = [];
}
