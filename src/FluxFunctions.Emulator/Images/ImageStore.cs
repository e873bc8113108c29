using System.Collections.Concurrent;
using FluxFunctions.Emulator.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// In-memory images by <c>imageUUID</c> (uploads, inference results, guides). Bounded by count and by bytes: the
/// oldest images are evicted first. Thread-safe.
/// </summary>
internal sealed class ImageStore
{
    private readonly ConcurrentDictionary<Guid, StoredImage> images = new();
    private readonly Queue<Guid> order = new();
    private readonly Lock gate = new();
    private readonly int maxImages;
    private readonly long maxBytes;
    private long totalBytes;

    public ImageStore(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        maxImages = options.Value.MaxImages;
        maxBytes = options.Value.MaxImageBytes;
    }

    /// <summary>Images held now.</summary>
    public int Count => images.Count;

    /// <summary>Encoded bytes held now.</summary>
    public long TotalBytes => Interlocked.Read(ref totalBytes);

    /// <summary>Stores encoded bytes under a fresh UUID, evicting the oldest images beyond the limits.</summary>
    /// <param name="bytes">The encoded image.</param>
    /// <param name="format">Its encoding.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="expiresAt">When it expires (inference results); null: never.</param>
    public StoredImage Add(byte[] bytes, ImageFormat format, int width, int height, DateTimeOffset? expiresAt = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var image = new StoredImage(Guid.NewGuid(), bytes, format, width, height, expiresAt);
        lock (gate)
        {
            images[image.Id] = image;
            order.Enqueue(image.Id);
            totalBytes += bytes.LongLength;
            while (order.Count > 1 && (order.Count > maxImages || totalBytes > maxBytes))
            {
                if (images.TryRemove(order.Dequeue(), out var evicted))
                {
                    totalBytes -= evicted.Bytes.LongLength;
                }
            }
        }

        return image;
    }

    /// <summary>Finds an image by UUID.</summary>
    public bool TryGet(Guid id, out StoredImage image) => images.TryGetValue(id, out image!);
}
