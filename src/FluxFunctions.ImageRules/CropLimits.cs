namespace FluxFunctions.ImageRules;

/// <summary>Limits of crop to context (Fill): what the planner may produce and what a request may ask for.</summary>
public static class CropLimits
{
    /// <summary>At most this many crops (Runware tasks) per job; a colour-coded mask has at most this many regions.</summary>
    public const int MaxCrops = 4;
}
