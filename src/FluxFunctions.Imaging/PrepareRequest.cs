using FluxFunctions.ImageRules;

namespace FluxFunctions.Imaging;

/// <summary>What <see cref="ImagePreparer.Prepare"/> works from: the edit in imaging terms and the user's files as they came.</summary>
/// <param name="Edit">The edit (preparation, sizes, outpaint, guide, mask grow/feather…).</param>
/// <param name="Image">The input image file (PNG, JPEG or WebP).</param>
public sealed record PrepareRequest(ImageEdit Edit, ReadOnlyMemory<byte> Image)
{
    /// <summary>The Fill mask file, any size and format (required for Fill unless outpainting; ignored otherwise).</summary>
    public ReadOnlyMemory<byte>? Mask { get; init; }

    public ImageLimits Limits { get; init; } = ImageLimits.Default;

    public SizeRules SizeRules { get; init; } = SizeRules.Default;

    public EncodeOptions Encoding { get; init; } = EncodeOptions.Default;
}
