using FluxFunctions.ImageRules;

namespace FluxFunctions.Imaging;

/// <summary>Crop-to-context for a masked job: whether to send only the parts around the mask, and with how much context.</summary>
/// <param name="Mode">auto, off or always.</param>
/// <param name="Margin">Pixels when ≥ 1, a fraction of the mask box when below 1; null for the default.</param>
public sealed record ContextCrop(ContextMode Mode, double? Margin)
{
    public static ContextCrop Default { get; } = new(ContextMode.Auto, null);
}
