using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>Inputs for pipeline tests: generated photo-like images, masks and options.</summary>
internal static class SampleJobs
{
    public static byte[] Photo(int width = 640, int height = 480, int seed = 1)
    {
        using var bitmap = TestImages.PhotoLike(width, height, seed);
        return TestFiles.Jpeg(bitmap, 90);
    }

    public static byte[] PhotoPng(int width = 640, int height = 480, int seed = 1)
    {
        using var bitmap = TestImages.PhotoLike(width, height, seed);
        return TestFiles.Png(bitmap);
    }

    public static byte[] Mask(int width = 640, int height = 480, SKRectI? white = null)
    {
        using var bitmap = TestImages.Mask(width, height, white ?? new SKRectI(width / 4, height / 4, width / 2, height / 2));
        return TestFiles.Png(bitmap);
    }

    public static string Options(string prompt, string? extra = null) =>
        extra is null ? $$"""{"prompt":"{{prompt}}"}""" : $$"""{"prompt":"{{prompt}}",{{extra}}}""";
}
