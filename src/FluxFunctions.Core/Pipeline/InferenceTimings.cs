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

    /// <summary>A low percentile of recent durations in milliseconds, or 0 when nothing is known yet.</summary>
    public int ExpectedMs()
    {
        var values = recent.ToArray();
        if (values.Length < 3)
        {
            return 0;
        }

        Array.Sort(values);
        return values[values.Length / 4];
    }
}
