using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace FluxFunctions.Testing;

/// <summary>Encoded test files: real PNG/JPEG/WebP from bitmaps, and hand-made bytes (bombs, EXIF, other formats).</summary>
public static class TestFiles
{
    public static byte[] Png(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(SKPngEncoderOptions.Default);
        return data?.ToArray() ?? throw new InvalidOperationException("SkiaSharp could not encode the bitmap.");
    }

    public static byte[] Jpeg(SKBitmap bitmap, int quality = 90)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKJpegEncoderOptions(quality));
        return data?.ToArray() ?? throw new InvalidOperationException("SkiaSharp could not encode the bitmap.");
    }

    public static byte[] Webp(SKBitmap bitmap, bool lossless = false, int quality = 90)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKWebpEncoderOptions(lossless ? SKWebpEncoderCompression.Lossless : SKWebpEncoderCompression.Lossy, quality));
        return data?.ToArray() ?? throw new InvalidOperationException("SkiaSharp could not encode the bitmap.");
    }

    /// <summary>
    /// The JPEG with an EXIF APP1 segment (big-endian TIFF, IFD0 holding only the Orientation tag 0x0112) inserted
    /// right after the start-of-image marker.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG.", nameof(jpeg));
        }

        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // header: big-endian, IFD0 at offset 8
            0x00, 0x01,                                                 // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,             // Orientation, SHORT, count 1
            0x00, (byte)orientation, 0x00, 0x00,                        // value (left-justified)
            0x00, 0x00, 0x00, 0x00,                                     // no next IFD
        ];
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).ToArray();
        var length = payload.Length + 2;
        using var output = new MemoryStream();
        output.Write([0xFF, 0xD8, 0xFF, 0xE1, (byte)(length >> 8), (byte)length]);
        output.Write(payload);
        output.Write(jpeg.AsSpan(2));
        return output.ToArray();
    }

    /// <summary>
    /// A decompression bomb's header: a valid PNG signature, IHDR announcing <paramref name="width"/> ×
    /// <paramref name="height"/> RGBA pixels, a tiny IDAT and IEND — a few dozen bytes in all.
    /// </summary>
    public static byte[] PngHeader(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 6; // RGBA
        WriteChunk(output, "IHDR", ihdr);
        WriteChunk(output, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A valid 1×1 GIF89a.</summary>
    public static byte[] Gif() =>
    [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
        0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44,
        0x01, 0x00, 0x3B,
    ];

    /// <summary>A valid 24-bit BMP of the given size, mid grey.</summary>
    public static byte[] Bmp(int width, int height)
    {
        var rowBytes = ((width * 3) + 3) & ~3;
        var size = 54 + (rowBytes * height);
        var bmp = new byte[size];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        bmp.AsSpan(54).Fill(128);
        return bmp;
    }

    /// <summary>A real ZIP archive (what a renamed <c>.zip</c> → <c>.png</c> upload contains).</summary>
    public static byte[] Zip()
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry("photo.png");
            using var stream = entry.Open();
            stream.Write(Encoding.ASCII.GetBytes("not really a photo"));
        }

        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(typed));
        output.Write(crc);
    }
}
