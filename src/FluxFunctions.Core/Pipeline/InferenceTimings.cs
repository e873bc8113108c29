using System.Collections.Concurrent;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Learns how long inferences take on this host (from submit to the first poll that saw the result), so the first poll
/// can be scheduled when the result is likely ready instead of polling early and often.
/// </summary>
public sealed class InferenceTimings
{
    private const int Window = 64;
    private readonly ConcurrentQueue<int> recent = new();
    private readonly ConcurrentDictionary<string, long> submittedAt = new(StringComparer.Ordinal);
    private readonly TimeProvider time;

    public InferenceTimings(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <summary>Records a submission.</summary>
    public void Submitted(string taskUuid) => submittedAt.TryAdd(taskUuid, time.GetTimestamp());

    /// <summary>Records that the result of <paramref name="taskUuid"/> was seen.</summary>
    public void Finished(string taskUuid)
    {
        if (submittedAt.TryRemove(taskUuid, out var start))
        {
            recent.Enqueue((int)Math.Min(int.MaxValue, time.GetElapsedTime(start).TotalMilliseconds));
            while (recent.Count > Window && recent.TryDequeue(out _))
            {
            }
        }
    }

    /// <summary>
    /// When to poll first, in milliseconds: <see cref="Shrink"/> × a low percentile of recent durations, or 0 when nothing
    /// is known yet. A duration is measured up to the poll that saw the result, so it is only an upper bound that includes
    /// the poll's own delay; scheduling the first poll at the bare percentile would feed every delay back into the next
    /// estimate and let it creep upward for ever. Shrinking it makes the estimate settle just around the true time, where
    /// first polls sometimes come early and a second poll follows after the initial delay.
    /// </summary>
    public int ExpectedMs()
    {
        var values = recent.ToArray();
        if (values.Length < 3)
        {
            return 0;
        }

        Array.Sort(values);
        return (int)(values[values.Length / 4] * Shrink);
    }

    /// <summary>The share of the learned duration at which the first poll is made.</summary>
    public const double Shrink = 0.8;
}
