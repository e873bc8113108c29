using System.Runtime.InteropServices;
using SkiaSharp;

namespace FluxFunctions.Imaging;

/// <summary>Small whole-image pixel operations on 32-bit RGBA bitmaps (R in the lowest byte).</summary>
internal static class PixelOps
{
    // OpenCV 4's fixed-point BT.601 luma for 8-bit cvtColor RGB2GRAY: the weights 0.299, 0.587, 0.114 in 15 bits,
    // Y = (R*9798 + G*19235 + B*3735 + 2^14) >> 15 (bit-exact with OpenCV 4.13; the 14-bit weights 4899/9617/1868
    // of OpenCV 2/3 differ by one on a few pixels in a thousand).
    private const int RedWeight = 9798;
    private const int GreenWeight = 19235;
    private const int BlueWeight = 3735;
    private const int LumaShift = 15;

    /// <summary>Luminance with OpenCV's weights and rounding, in a new array; alpha is ignored.</summary>
    public static GrayImage Luminance(SKBitmap bitmap)
    {
        RequireRgba(bitmap);
        return Luminance(bitmap, GC.AllocateUninitializedArray<byte>(bitmap.Width * bitmap.Height));
    }

    /// <summary>Luminance written into <paramref name="into"/> (at least width × height bytes; see <see cref="GrayImage.FromBitmap(SKBitmap, byte[])"/>).</summary>
    public static GrayImage Luminance(SKBitmap bitmap, byte[] into)
    {
        RequireRgba(bitmap);
        int w = bitmap.Width, h = bitmap.Height;
        var gray = new GrayImage(w, h, into);
        RowBands.For(h, (long)w * h, (start, end) =>
        {
            var src = MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan());
            var dst = gray.Pixels;
            for (var y = start; y < end; y++)
            {
                var row = src.Slice(y * w, w);
                var o = y * w;
                for (var x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    dst[o + x] = (byte)((((int)(p & 0xFF) * RedWeight) + ((int)((p >> 8) & 0xFF) * GreenWeight) + ((int)((p >> 16) & 0xFF) * BlueWeight) + (1 << (LumaShift - 1))) >> LumaShift);
                }
            }
        });
        return gray;
    }

    /// <summary>The alpha channel as a grayscale image.</summary>
    public static GrayImage Alpha(SKBitmap bitmap)
    {
        RequireRgba(bitmap);
        int w = bitmap.Width, h = bitmap.Height;
        var alpha = new GrayImage(w, h);
        var src = MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan());
        var dst = alpha.Pixels;
        for (var i = 0; i < dst.Length; i++)
        {
            dst[i] = (byte)(src[i] >> 24);
        }

        return alpha;
    }

    /// <summary>A new opaque bitmap: the pixels composited onto white by their (unpremultiplied) alpha.</summary>
    public static SKBitmap FlattenOntoWhite(SKBitmap bitmap)
    {
        RequireRgba(bitmap);
        var flat = new SKBitmap(bitmap.Info.WithAlphaType(SKAlphaType.Opaque));
        var premultiplied = bitmap.AlphaType == SKAlphaType.Premul;
        int w = bitmap.Width, h = bitmap.Height;
        RowBands.For(h, (long)w * h, (start, end) =>
        {
            var src = MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan());
            var dst = MemoryMarshal.Cast<byte, uint>(flat.GetPixelSpan());
            for (var i = start * w; i < end * w; i++)
            {
                var p = src[i];
                var a = (int)(p >> 24);
                if (a == 255)
                {
                    dst[i] = p;
                    continue;
                }

                var white = 255 * (255 - a);
                var r = Over((int)(p & 0xFF), a, white, premultiplied);
                var g = Over((int)((p >> 8) & 0xFF), a, white, premultiplied);
                var b = Over((int)((p >> 16) & 0xFF), a, white, premultiplied);
                dst[i] = 0xFF000000u | (uint)(b << 16) | (uint)(g << 8) | (uint)r;
            }
        });
        return flat;
    }

    /// <summary>A copy of the bitmap with the same info.</summary>
    public static SKBitmap Copy(SKBitmap bitmap)
    {
        var copy = new SKBitmap(bitmap.Info);
        bitmap.GetPixelSpan().CopyTo(copy.GetPixelSpan());
        return copy;
    }

    public static void RequireRgba(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.ColorType != SKColorType.Rgba8888 || bitmap.RowBytes != bitmap.Width * 4)
        {
            throw new ArgumentException($"Expected a packed Rgba8888 bitmap, got {bitmap.ColorType} with {bitmap.RowBytes} bytes a row.", nameof(bitmap));
        }
    }

    private static int Over(int channel, int alpha, int white, bool premultiplied) =>
        premultiplied
            ? Math.Min(255, channel + ((white + 127) / 255))
            : ((channel * alpha) + white + 127) / 255;
}
