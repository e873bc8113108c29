using System.Buffers;

namespace FluxFunctions.Runware;

/// <summary>Reads untrusted streams (request bodies, downloads, Runware's result images) with a hard size cap.</summary>
public static class CappedStream
{
    private const int ChunkSize = 81920;

    /// <summary>
    /// Reads a stream to its end, or returns null as soon as it exceeds <paramref name="maxBytes"/>.
    /// <paramref name="expectedLength"/> (a declared Content-Length) only sizes the buffer up front.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, long maxBytes, CancellationToken cancellationToken, long? expectedLength = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var buffer = new MemoryStream((int)Math.Min(expectedLength ?? ChunkSize, Math.Min(maxBytes, int.MaxValue)));
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            // Sized by a Content-Length that held: the buffer is the result (a 2048² PNG result is megabytes; a copy would
            // hold it twice).
            return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
