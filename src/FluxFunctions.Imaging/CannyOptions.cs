namespace FluxFunctions.Imaging;

/// <summary>Settings of <see cref="CannyEdgeDetector"/>.</summary>
/// <param name="LowThreshold">Gradient magnitude (L1, |dx|+|dy| of the 3×3 Sobel) above which a pixel may be an edge when connected to a strong one.</param>
/// <param name="HighThreshold">Gradient magnitude above which a pixel is a (strong) edge. Swapped with the low one if smaller, as OpenCV does.</param>
/// <param name="Blur">
/// Smooth first with OpenCV's <c>GaussianBlur(ksize 5×5, sigma 0)</c>: the binomial kernel [1 4 6 4 1]/16 in each
/// direction (σ ≈ 1.1), reflect-101 borders, rounded half up — bit-exact with OpenCV. Without it the result is
/// OpenCV's plain <c>Canny</c> on the input.
/// </param>
public sealed record CannyOptions(int LowThreshold = 100, int HighThreshold = 200, bool Blur = true)
{
    public static CannyOptions Default { get; } = new();
}
