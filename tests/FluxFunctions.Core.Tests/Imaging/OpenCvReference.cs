using System.Runtime.InteropServices;
using OpenCvSharp;
using SkiaSharp;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>
/// OpenCV (OpenCvSharp with its official Linux runtime) as the reference the local Canny is checked against.
/// When the native library cannot load, the tests using it fail with the fix in the message; they never skip.
/// </summary>
internal static class OpenCvReference
{
    private static readonly Lazy<string> VersionLazy = new(Load);

    public static string Version => VersionLazy.Value;

    /// <summary>OpenCV's <c>cvtColor(RGBA2GRAY)</c> of a 32-bit RGBA bitmap.</summary>
    public static byte[] Gray(SKBitmap rgba)
    {
        _ = Version;
        var pixels = rgba.GetPixelSpan().ToArray();
        using var source = Mat.FromPixelData(rgba.Height, rgba.Width, MatType.CV_8UC4, pixels);
        using var gray = new Mat();
        Cv2.CvtColor(source, gray, ColorConversionCodes.RGBA2GRAY);
        return ToBytes(gray);
    }

    /// <summary>OpenCV's <c>GaussianBlur(ksize 5×5, sigma 0)</c> with the default border (reflect 101).</summary>
    public static byte[] GaussianBlur5(byte[] gray, int width, int height)
    {
        _ = Version;
        using var source = Mat.FromPixelData(height, width, MatType.CV_8UC1, gray);
        using var blurred = new Mat();
        Cv2.GaussianBlur(source, blurred, new Size(5, 5), 0, 0, BorderTypes.Default);
        return ToBytes(blurred);
    }

    /// <summary>OpenCV's <c>Canny(image, low, high, apertureSize 3, L2gradient false)</c>.</summary>
    public static byte[] Canny(byte[] gray, int width, int height, double low, double high)
    {
        _ = Version;
        using var source = Mat.FromPixelData(height, width, MatType.CV_8UC1, gray);
        using var edges = new Mat();
        Cv2.Canny(source, edges, low, high, 3, false);
        return ToBytes(edges);
    }

    private static byte[] ToBytes(Mat mat)
    {
        var width = mat.Cols;
        var rows = mat.Rows;
        var result = new byte[width * rows];
        for (var y = 0; y < rows; y++)
        {
            Marshal.Copy(mat.Ptr(y), result, y * width, width);
        }

        return result;
    }

    private static string Load()
    {
        try
        {
            return "OpenCV " + (Cv2.GetVersionString() ?? "(unknown version)");
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                "The OpenCV reference (OpenCvSharp4.official.runtime.linux-x64) could not be loaded; its native library needs " +
                "libgtk-3-0: run scripts/install-test-deps.sh (scripts/test.sh does). " + e.GetBaseException().Message,
                e);
        }
    }
}
