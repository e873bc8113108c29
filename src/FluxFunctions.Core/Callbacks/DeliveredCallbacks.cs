using System.Collections.Concurrent;

namespace FluxFunctions.Core.Callbacks;

/// <summary>
/// The <c>x-flux-delivery</c> ids this process saw acknowledged (2xx), the newest <see cref="Capacity"/> of them, so that a
/// delivery activity run again for one of them — the durable engine re-runs an activity whose completion it did not
/// record, e.g. after its queue message reappeared — does not POST the same event again. Another host, or this one after
/// a restart, cannot know: receivers deduplicate on the id (README, "Callbacks").
/// </summary>
public sealed class DeliveredCallbacks
{
    /// <summary>How many ids are remembered (a couple of megabytes at most).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, byte> ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> order = new();

    /// <summary>Whether <paramref name="deliveryId"/> was acknowledged here.</summary>
    public bool Contains(string deliveryId) => ids.ContainsKey(deliveryId);

    /// <summary>Remembers that <paramref name="deliveryId"/> was acknowledged, forgetting the oldest beyond <see cref="Capacity"/>.</summary>
    public void Add(string deliveryId)
    {
        if (!ids.TryAdd(deliveryId, 0))
        {
            return;
        }

        order.Enqueue(deliveryId);
        while (order.Count > Capacity && order.TryDequeue(out var oldest))
        {
            ids.TryRemove(oldest, out _);
        }
    }
}
