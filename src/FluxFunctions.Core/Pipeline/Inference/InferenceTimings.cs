using System.Collections.Concurrent;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Learns when to make the first <c>getResponse</c> poll of an inference on this host. A controller, not an average:
/// every first poll that already finds the result shortens the delay, every first poll that finds the task still
/// processing lengthens it, in the ratio that makes a chosen share of first polls find the result
/// (<see cref="WatchedHitRate"/> or <see cref="DurablePollHitRate"/>). Measured durations would not do: a duration is only known up to the poll that saw the
/// result, so it includes the poll's own delay and the task hub's queueing time — under load such an estimate feeds on
/// itself and creeps upward, and finished results wait for late polls while holding inference slots.
/// <para>Where polls are cheap and quick (the submitting activity's <see cref="ResultWatch"/> polls again within a few percent of the
/// expected time) the first poll aims a little early, <see cref="WatchedHitRate"/>: a poll too early costs one more
/// request and tens of milliseconds, one too late keeps a finished result (and its slot) waiting for the whole
/// difference. Where every poll is a durable timer plus an activity (the Functions app), it aims a little late,
/// <see cref="DurablePollHitRate"/>.</para>
/// <para>Each step is divided by the number of inferences whose first poll is still to come: they were all scheduled
/// with an older delay, so with eight in flight eight answers arrive about the same delay, and full steps for each
/// would swing the delay by eight steps per inference and make it oscillate by a second around a 2 s inference.</para>
/// <para>Where the watch polls, the times its tasks were last seen still running bound the delay from above
/// (<see cref="StillRunningAt"/>): the controller's steps make it wander, and a first poll that wanders past the results
/// keeps them waiting.</para>
/// </summary>
public sealed class InferenceTimings
{
    /// <summary>Share of first polls meant to find the result when the host's watcher polls again quickly.</summary>
    public const double WatchedHitRate = 0.3;

    /// <summary>Share of first polls meant to find the result when each poll is a trip through the task hub.</summary>
    public const double DurablePollHitRate = 0.65;

    /// <summary>The log-step per first poll with nothing else pending: a hit shortens the delay by e^(−gain·(1−rate)), a miss lengthens it by e^(gain·rate).</summary>
    public const double Gain = 0.15;

    private const double MinMs = 100;
    private const double MaxMs = 600_000;

    // A submission whose first poll has not come this long after it (another instance polled it, the job was canceled) is
    // forgotten: it no longer counts as pending, and the map cannot grow without bound.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    // How many of the latest "still running at" bounds are kept, and how many it takes before their median bounds the delay.
    private const int BoundsKept = 16;
    private const int BoundsNeeded = 4;

    private readonly ConcurrentDictionary<string, long> submittedAt = new(StringComparer.Ordinal);
    private readonly Queue<double> stillRunningMs = new(BoundsKept + 1);
    private readonly TimeProvider time;
    private readonly object gate = new();
    private readonly double shorten;
    private readonly double lengthen;
    private double firstPollMs;
    private bool firstPollHit;

    /// <param name="time">The clock.</param>
    /// <param name="targetHitRate">Share of first polls meant to find the result (see <see cref="WatchedHitRate"/> and <see cref="DurablePollHitRate"/>).</param>
    public InferenceTimings(TimeProvider? time = null, double targetHitRate = DurablePollHitRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(targetHitRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(targetHitRate, 1);
        this.time = time ?? TimeProvider.System;

        // In balance when rate · ln(shorten) + (1 − rate) · ln(lengthen) = 0.
        shorten = -Gain * (1 - targetHitRate);
        lengthen = Gain * targetHitRate;
    }

    /// <summary>Records a submission.</summary>
    public void Submitted(string taskUuid) => submittedAt.TryAdd(taskUuid, time.GetTimestamp());

    /// <summary>Records a poll of <paramref name="taskUuid"/>; only the first poll after its submission tunes the delay.</summary>
    public void Polled(string taskUuid, bool done)
    {
        if (!submittedAt.TryRemove(taskUuid, out var start))
        {
            return;
        }

        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(start, now).TotalMilliseconds;
        var pending = 1 + Pending(now);
        lock (gate)
        {
            firstPollHit |= done;
            var next = firstPollMs <= 0 ? elapsed : firstPollMs;
            firstPollMs = Capped(Math.Clamp(next * Math.Exp((done ? shorten : lengthen) / pending), MinMs, MaxMs));
        }
    }

    /// <summary>
    /// Records that a watched task was still processing <paramref name="stillRunning"/> after its submission (its last
    /// poll that missed, before the one that found the result): a lower bound on how long inferences take here.
    /// <para>Until a first poll on this host has found a result, the delay is still climbing from its first guess
    /// (<c>Flux__PollInitialDelayMs</c>) by small steps — about fifteen inferences from 1 s to 2 s, each result found by
    /// the slower polls meanwhile — so it moves up to the bound at once.</para>
    /// <para>After that, the median of the latest bounds caps the delay (and the controller's state, so it cannot wind up
    /// behind the cap). The controller's steps make the delay wander: with inferences that take about the same time, a
    /// first poll that wanders past them keeps each result it finds waiting for the whole difference (a mean 35–44 ms in
    /// the bench's batches, against 17 ms for results the watch's close polls found), while a first poll just before them
    /// costs one poll and at most the close polls' interval. A bound comes from a poll that saw the task running, so it
    /// cannot creep upward with late polls; the median is untouched by one slow task; and a cap only ever moves the first
    /// poll earlier. The controller alone decides below it (a host whose inferences got faster shortens the delay by its
    /// hits, as before).</para>
    /// </summary>
    public void StillRunningAt(TimeSpan stillRunning)
    {
        lock (gate)
        {
            var bound = stillRunning.TotalMilliseconds;
            stillRunningMs.Enqueue(bound);
            if (stillRunningMs.Count > BoundsKept)
            {
                stillRunningMs.Dequeue();
            }

            firstPollMs = firstPollHit ? Capped(firstPollMs)
                : bound > firstPollMs ? Math.Clamp(bound, MinMs, MaxMs)
                : firstPollMs;
        }
    }

    /// <summary>
    /// <paramref name="delayMs"/> under the median of the latest "still running at" bounds, once a first poll has found a
    /// result and there are enough bounds; otherwise as it is (under <see cref="gate"/>).
    /// </summary>
    private double Capped(double delayMs)
    {
        if (!firstPollHit || stillRunningMs.Count < BoundsNeeded)
        {
            return delayMs;
        }

        var sorted = stillRunningMs.Order().ToArray();
        return Math.Min(delayMs, Math.Max(MinMs, (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2));
    }

    /// <summary>
    /// Whether the latest inferences here take about the same time: the middle half of the latest "still running at"
    /// bounds (<see cref="StillRunningAt"/>) lies within <paramref name="within"/>, and there are enough of them. Then a
    /// first poll that missed has the result due within that much, and the watch polls twice as often there
    /// (<see cref="ResultWatch"/>). Inferences whose times spread (as the real service's may, by 50–200 ms) are not steady.
    /// </summary>
    public bool Steady(TimeSpan within)
    {
        lock (gate)
        {
            if (stillRunningMs.Count < BoundsNeeded)
            {
                return false;
            }

            var sorted = stillRunningMs.Order().ToArray();
            return sorted[sorted.Length - 1 - (sorted.Length / 4)] - sorted[sorted.Length / 4] <= within.TotalMilliseconds;
        }
    }

    /// <summary>Records that the result of <paramref name="taskUuid"/> arrived (by webhook): as a first poll that found it.</summary>
    public void Finished(string taskUuid) => Polled(taskUuid, done: true);

    /// <summary>Submissions still awaiting their first poll (the stale ones are dropped).</summary>
    private int Pending(long now)
    {
        var stale = TimeSpan.FromMilliseconds(Math.Max(StaleAfter.TotalMilliseconds, 4 * ExpectedMs()));
        var pending = 0;
        foreach (var (task, at) in submittedAt)
        {
            if (time.GetElapsedTime(at, now) > stale)
            {
                submittedAt.TryRemove(task, out _);
            }
            else
            {
                pending++;
            }
        }

        return pending;
    }

    /// <summary>When to poll first after a submission, in milliseconds, or 0 while nothing has been learned.</summary>
    public int ExpectedMs()
    {
        lock (gate)
        {
            return (int)firstPollMs;
        }
    }
}
