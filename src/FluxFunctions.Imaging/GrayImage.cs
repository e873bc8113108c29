using System.Runtime.InteropServices;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>
/// An 8-bit single-channel image in managed memory, rows packed without padding (stride = <see cref="Width"/>).
/// Masks, luminance and edge maps.
/// </summary>
public sealed class GrayImage
{
    /// <summary>A black image.</summary>
    public GrayImage(int width, int height)
        : this(width, height, new byte[checked(width * height)])
    {
    }

    /// <summary>Wraps <paramref name="pixels"/> (not copied); it must hold at least width × height bytes.</summary>
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length < (long)width * height)
        {
            throw new ArgumentException($"{pixels.Length} bytes cannot hold {width}×{height} pixels.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major pixels; pixel (x, y) is at <c>y * Width + x</c>.</summary>
    public byte[] Pixels { get; }

    public byte this[int x, int y]
    {
        get => Pixels[(y * Width) + x];
        set => Pixels[(y * Width) + x] = value;
    }

    /// <summary>Luminance of a 32-bit RGBA bitmap, with OpenCV's <c>cvtColor(…, COLOR_RGB2GRAY)</c> arithmetic (alpha ignored).</summary>
    public static GrayImage FromBitmap(SKBitmap bitmap) => PixelOps.Luminance(bitmap);

    /// <summary>
    /// <see cref="FromBitmap(SKBitmap)"/> written into <paramref name="into"/> (at least width × height bytes, e.g. rented
    /// from <see cref="System.Buffers.ArrayPool{T}"/>): an array used before is already in memory.
    /// </summary>
    public static GrayImage FromBitmap(SKBitmap bitmap, byte[] into) => PixelOps.Luminance(bitmap, into);

    /// <summary>One row of pixels.</summary>
    public Span<byte> Row(int y) => Pixels.AsSpan(y * Width, Width);

    /// <summary>An 8-bit grayscale PNG.</summary>
    public byte[] EncodePng() => ImageEncoder.EncodePng(this);

    /// <summary>How many pixels are not zero.</summary>
    public long CountNonZero()
    {
        var span = Pixels.AsSpan(0, Width * Height);
        return span.Length - span.Count((byte)0);
    }

    /// <summary>A copy of a rectangle of this image.</summary>
    public GrayImage Crop(PixelRect rect)
    {
        if (rect.X < 0 || rect.Y < 0 || rect.Right > Width || rect.Bottom > Height || rect.Width < 1 || rect.Height < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rect), rect, $"Not inside {Width}×{Height}.");
        }

        if (rect.X == 0 && rect.Y == 0 && rect.Width == Width && rect.Height == Height)
        {
            return new GrayImage(Width, Height, (byte[])Pixels.Clone());
        }

        var result = new GrayImage(rect.Width, rect.Height);
        for (var y = 0; y < rect.Height; y++)
        {
            Row(rect.Y + y).Slice(rect.X, rect.Width).CopyTo(result.Row(y));
        }

        return result;
    }

    internal Span<byte> Span => MemoryMarshal.CreateSpan(ref Pixels[0], Width * Height);
}
