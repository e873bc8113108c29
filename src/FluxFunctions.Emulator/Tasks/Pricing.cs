namespace FluxFunctions.Emulator.Tasks;

/// <summary>Made-up but plausible costs in USD, reported when a task asks for <c>includeCost</c>.</summary>
internal static class Pricing
{
    /// <summary>Cost of one preprocess.</summary>
    public const double Preprocess = 0.0006;

    /// <summary>Cost of one generated image: grows with megapixels and steps.</summary>
    public static double Image(int width, int height, int steps) =>
        Math.Round(0.0013 + (0.0025 * (width * (double)height / 1_048_576) * (steps / 28.0)), 6);
}
