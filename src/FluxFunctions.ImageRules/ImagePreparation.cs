namespace FluxFunctions.ImageRules;

/// <summary>How the images of a job are prepared for the model.</summary>
public enum ImagePreparation
{
    /// <summary>The photo and its mask, stretched to the output size (crop-to-context and outpaint when the edit allows them).</summary>
    Masked,

    /// <summary>The guide (edge or depth map), cropped to the output's aspect ratio.</summary>
    Guide,

    /// <summary>The image as a style or content reference, at its own size when Runware accepts it.</summary>
    Reference,
}
