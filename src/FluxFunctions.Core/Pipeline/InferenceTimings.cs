using System.Collections.Concurrent;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Learns when to make the first <c>getResponse</c> poll of an inference on this host, so it comes when the result is
/// likely ready instead of early and often. A controller, not an average: every first poll that already finds the result
/// shortens the delay by 5 %, every first poll that finds the task still processing lengthens it by 10 %, so about two
/// first polls in three find the result. Measured durations would not do: a duration is only known up to the poll that
/// saw the result, so it includes the poll's own delay and the task hub's queueing time — under load such an estimate
/// feeds on itself and creeps upward, and finished results wait for late polls while holding inference slots. The
/// controller instead moves the delay to where polls land just after the result, queueing included.
/// </summary>
public sealed class InferenceTimings
{
    /// <summary>Factor applied when a first poll found the result.</summary>
    public const double Shorten = 0.95;

    /// <summary>Factor applied when a first poll found the task still processing.</summary>
    public const double Lengthen = 1.10;

    private const double MinMs = 100;
    private const double MaxMs = 600_000;

    private readonly ConcurrentDictionary<string, long> submittedAt = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly object gate = new();
    private double firstPollMs;

    public InferenceTimings(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <summary>Records a submission.</summary>
    public void Submitted(string taskUuid) => submittedAt.TryAdd(taskUuid, time.GetTimestamp());

    /// <summary>Records a poll of <paramref name="taskUuid"/>; only the first poll after its submission tunes the delay.</summary>
    public void Polled(string taskUuid, bool done)
    {
        if (!submittedAt.TryRemove(taskUuid, out var start))
        {
            return;
        }

        var elapsed = time.GetElapsedTime(start).TotalMilliseconds;
        lock (gate)
        {
            var next = firstPollMs <= 0 ? elapsed : firstPollMs;
            firstPollMs = Math.Clamp(next * (done ? Shorten : Lengthen), MinMs, MaxMs);
        }
    }

    /// <summary>Records that the result of <paramref name="taskUuid"/> arrived (by webhook): as a first poll that found it.</summary>
    public void Finished(string taskUuid) => Polled(taskUuid, done: true);

    /// <summary>When to poll first after a submission, in milliseconds, or 0 while nothing has been learned.</summary>
    public int ExpectedMs()
    {
        lock (gate)
        {
            return (int)firstPollMs;
        }
    }
}
