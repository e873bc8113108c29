using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using FluxFunctions.Imaging;
using FluxFunctions.Testing;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>
/// The PNG settings chosen for speed (docs/performance.md): colour PNGs with the Sub and Up row filters only at zlib
/// level 3, grayscale maps with Up only at level 6, and every PNG still lossless. The filters and the level are read
/// back from the written file (each row's filter byte, the zlib header's level field), not from the code.
/// </summary>
public sealed class ImageEncoderTests
{
    [Fact]
    public void Encode_PhotoAsPng_RowsUseSubOrUpOnlyAtAFastZlibLevel_AndPixelsRoundTripExactly()
    {
        using var photo = TestImages.PhotoLike(512, 384, 5);

        var png = ImageEncoder.Encode(photo, ImageFileFormat.Png);

        var (filters, zlibLevel, channels) = PngRows(png);
        Assert.Equal(3, channels); // opaque: RGB, no alpha channel written
        Assert.Equal(384, filters.Count);
        Assert.All(filters, f => Assert.True(f is 1 or 2, $"row filter {f} (1 = Sub, 2 = Up)"));
        Assert.Contains((byte)1, filters); // both are in use: the choice per row is still adaptive between the two
        Assert.Contains((byte)2, filters);
        Assert.Equal(1, zlibLevel); // the zlib header's FLEVEL: 1 for levels 2–5 ("fast"), 2 for the default level 6
        using var decoded = TestImages.DecodeRaw(png);
        Assert.Equal(TestImages.PixelsOf(photo), TestImages.PixelsOf(decoded));
    }

    [Fact]
    public void EncodePng_EdgeMap_EveryRowUpFilteredAtLevelSix_AndPixelsRoundTripExactly()
    {
        using var photo = TestImages.PhotoLike(400, 300, 8);
        var edges = CannyEdgeDetector.Detect(GrayImage.FromBitmap(photo), new CannyOptions(100, 200, Blur: true));

        var png = ImageEncoder.EncodePng(edges);

        var (filters, zlibLevel, channels) = PngRows(png);
        Assert.Equal(1, channels);
        Assert.Equal(300, filters.Count);
        Assert.All(filters, f => Assert.Equal(2, f));
        Assert.Equal(2, zlibLevel);
        using var decoded = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal(SkiaSharp.SKColorType.Gray8, decoded.ColorType);
        Assert.Equal(edges.Pixels, decoded.GetPixelSpan().ToArray());
    }

    [Fact]
    public void EncodePng_MapInALargerArray_OnlyItsPixelsWritten()
    {
        // A pooled array is larger than the map: the PNG holds width × height pixels, row by row, and nothing after them.
        var pixels = Enumerable.Range(0, (70 * 50) + 333).Select(i => (byte)(i * 7)).ToArray();
        var map = new GrayImage(70, 50, pixels);

        using var decoded = SkiaSharp.SKBitmap.Decode(ImageEncoder.EncodePng(map));

        Assert.Equal((70, 50), (decoded.Width, decoded.Height));
        Assert.Equal(pixels[..(70 * 50)], decoded.GetPixelSpan().ToArray());
    }

    /// <summary>Each row's filter type, the zlib header's FLEVEL and the channels of an 8-bit, non-interlaced PNG.</summary>
    private static (List<byte> Filters, int ZlibLevel, int Channels) PngRows(byte[] png)
    {
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                Assert.Equal(0, data[12]);
                channels = data[9] switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, var c => throw new InvalidDataException($"colour type {c}") };
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            at += 12 + length;
        }

        var compressed = idat.ToArray();
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = (width * channels) + 1;
        Assert.Equal(stride * height, raw.Length);
        var filters = Enumerable.Range(0, height).Select(y => raw[y * stride]).ToList();
        return (filters, compressed[1] >> 6, channels);
    }
}
