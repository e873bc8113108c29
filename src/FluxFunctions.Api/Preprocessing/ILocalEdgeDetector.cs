namespace FluxFunctions.Api.Preprocessing;

/// <summary>
/// Local Canny edge detection for <c>POST /api/preprocess/canny</c> (no Runware call, no cost). The seam lets the full
/// implementation of <c>FluxFunctions.Core.Imaging</c> replace <see cref="BasicEdgeDetector"/> without touching the
/// handler.
/// </summary>
public interface ILocalEdgeDetector
{
    /// <summary>Decodes <paramref name="image"/>, scales it to <paramref name="width"/>×<paramref name="height"/> and returns its edge map as PNG (white edges on black).</summary>
    byte[] DetectEdges(ReadOnlyMemory<byte> image, int width, int height, int lowThreshold, int highThreshold);
}
