using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Cli.Tests.Cli;

/// <summary>A temporary folder with generated images, deleted at the end of the test.</summary>
internal sealed class TestFolder : IDisposable
{
    public TestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "flux-cli-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>A photo-like PNG (or JPEG / WebP by extension).</summary>
    public string Photo(string name, int width = 320, int height = 240, int seed = 1)
    {
        using var bitmap = TestImages.PhotoLike(width, height, seed);
        var bytes = System.IO.Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => TestFiles.Jpeg(bitmap),
            ".webp" => TestFiles.Webp(bitmap),
            _ => TestFiles.Png(bitmap),
        };
        return Write(name, bytes);
    }

    /// <summary>A black mask with a white rectangle in the middle.</summary>
    public string Mask(string name, int width = 320, int height = 240)
    {
        using var mask = TestImages.Mask(width, height, new SKRectI(width / 4, height / 4, width * 3 / 4, height * 3 / 4));
        return Write(name, TestFiles.Png(mask));
    }

    public string Write(string name, byte[] bytes)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
