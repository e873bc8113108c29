using FluxFunctions.ImageRules;

namespace FluxFunctions.Imaging;

/// <summary>Where the guide of a <see cref="ImagePreparation.Guide"/> job comes from.</summary>
public enum GuideSource
{
    /// <summary>Runware's preprocessor makes it: the input is only normalised (upright, opaque, the target size).</summary>
    Runware,

    /// <summary>The input already is the guide (an edge map or a depth map): normalised like <see cref="Runware"/>.</summary>
    Input,

    /// <summary>A Canny edge map made here (<see cref="CannyEdgeDetector"/>, with <see cref="ImageEdit.Canny"/>).</summary>
    LocalCanny,
}
