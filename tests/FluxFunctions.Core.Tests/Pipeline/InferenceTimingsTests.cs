using FluxFunctions.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace FluxFunctions.Core.Tests.Pipeline;

public sealed class InferenceTimingsTests
{
    private const int InitialDelayMs = 1000;
    private const int TrueDurationMs = 2000;

    [Fact]
    public void ExpectedMs_NothingPolledYet_IsUnknown()
    {
        var timings = new InferenceTimings(new FakeTimeProvider());
        timings.Submitted("a");
        Assert.Equal(0, timings.ExpectedMs());
    }

    [Fact]
    public void ExpectedMs_StartedHigh_SettlesJustAfterTheResult()
    {
        var (timings, time) = Create();
        Run(timings, time, "warm", 9000, done: true);

        var firstPollsThatFoundIt = SimulateJobs(timings, time, jobs: 300, queueingMs: 150);

        Assert.InRange(timings.ExpectedMs(), 1500, 2400);
        Assert.InRange(firstPollsThatFoundIt, 150, 260);
    }

    [Fact]
    public void ExpectedMs_HeavyQueueing_ShrinksInsteadOfCreepingUpward()
    {
        // Under load every poll lands 6 s after it was due: a measured-duration estimate would grow with each job;
        // the first poll must instead be asked for sooner, as the queue already makes it late.
        var (timings, time) = Create();
        Run(timings, time, "warm", 3000, done: true);

        SimulateJobs(timings, time, jobs: 100, queueingMs: 6000);

        Assert.True(timings.ExpectedMs() < InitialDelayMs, $"first poll after {timings.ExpectedMs()} ms");
    }

    [Fact]
    public void ExpectedMs_WatchedHost_AimsALittleEarly()
    {
        // Where the watcher polls again within 100 ms, about three first polls in ten find the result.
        var (timings, time) = Create(InferenceTimings.WatchedHitRate);
        Run(timings, time, "warm", 9000, done: true);

        var firstPollsThatFoundIt = SimulateJobs(timings, time, jobs: 400, queueingMs: 0);

        Assert.InRange(timings.ExpectedMs(), 1600, 2300);
        Assert.InRange(firstPollsThatFoundIt, 70, 180);
    }

    [Fact]
    public void ExpectedMs_EightInFlight_StaysCloseToTheResult()
    {
        // Eight inferences at a time, each first polled at the delay current when it was submitted: eight answers about
        // the same delay arrive before any poll made with a corrected one. Full steps for each would swing the delay by a
        // second around a 2 s inference; results would then wait about half a second for their poll.
        var (timings, time) = Create(InferenceTimings.WatchedHitRate);
        var waits = RunSlots(timings, time, slots: 8, inferences: 1200);

        var settled = waits.Skip(400).ToList();
        Assert.True(settled.Average() < 120, $"results waited {settled.Average():0} ms on average for their poll");
        Assert.True(Percentile(settled, 0.9) < 200, $"90th percentile {Percentile(settled, 0.9):0} ms");
    }

    [Fact]
    public void ExpectedMs_WatchedEightInFlight_FirstPollLandsBeforeTheResultsInsteadOfLongAfter()
    {
        // The runner's watch: after a first poll that missed it polls every 25 ms and says when the task was last seen
        // still running. Inferences of 2 s give or take 10 ms: a first poll that wanders 0.1 s past them (the controller's
        // steps alone) keeps each result it finds waiting for that long, and a slot idle with it.
        var (timings, time) = Create(InferenceTimings.WatchedHitRate);
        var waits = RunSlots(timings, time, slots: 8, inferences: 1200, out var polls, closeMs: 25, reportStillRunning: true);

        var settled = waits.Skip(400).ToList();
        Assert.True(settled.Average() < 20, $"results waited {settled.Average():0.0} ms on average for their poll");
        Assert.True(Percentile(settled, 0.95) < 35, $"95th percentile {Percentile(settled, 0.95):0} ms");
        Assert.True(polls < 3.0 * 1200, $"{polls / 1200.0:0.00} polls per inference");
    }

    [Theory]
    [InlineData(20, true)]
    [InlineData(200, false)]
    public void Steady_WatchedEightInFlight_HalfTheCloseWaitOnlyWhenInferencesTakeAboutTheSameTime(int spreadMs, bool steady)
    {
        // The watch's close polls come every 25 ms, or every 12.5 ms while this host's inferences are steady. Inferences of
        // 2 s plus up to 20 ms: steady, and their results wait about half as long for three polls per inference instead of 2.3.
        // Spread over 0.2 s (as the real service's may be): not steady, so no more polls than before.
        var (fixedTimings, fixedTime) = Create(InferenceTimings.WatchedHitRate);
        var before = RunSlots(fixedTimings, fixedTime, slots: 8, inferences: 1200, out var pollsBefore, () => 25, reportStillRunning: true, spreadMs).Skip(400).ToList();
        var (timings, time) = Create(InferenceTimings.WatchedHitRate);
        var after = RunSlots(timings, time, slots: 8, inferences: 1200, out var pollsAfter, () => timings.Steady(TimeSpan.FromMilliseconds(25)) ? 12.5 : 25, reportStillRunning: true, spreadMs).Skip(400).ToList();

        Assert.Equal(steady, timings.Steady(TimeSpan.FromMilliseconds(25)));
        if (steady)
        {
            // 12.2 → 6.5 ms for 2.3 → 3.1 polls per inference.
            Assert.True(after.Average() < before.Average() * 0.6, $"results waited {after.Average():0.0} ms on average, {before.Average():0.0} ms with 25 ms close polls");
            Assert.True(pollsAfter < pollsBefore + (0.8 * 1200), $"{pollsAfter / 1200.0:0.00} polls per inference, {pollsBefore / 1200.0:0.00} with 25 ms close polls");
        }
        else
        {
            // Steady now and then by chance (4.28 polls per inference either way): within a few percent.
            Assert.True(Math.Abs(after.Average() - before.Average()) < 1, $"results waited {after.Average():0.0} ms on average, {before.Average():0.0} ms with 25 ms close polls");
            Assert.True(pollsAfter < pollsBefore * 1.05, $"{pollsAfter / 1200.0:0.00} polls per inference, {pollsBefore / 1200.0:0.00} with 25 ms close polls");
        }
    }

    [Fact]
    public void Steady_NeedsFourBoundsWithinTheWait()
    {
        var timings = new InferenceTimings(new FakeTimeProvider(), InferenceTimings.WatchedHitRate);
        var within = TimeSpan.FromMilliseconds(25);
        foreach (var ms in new[] { 2000, 2010, 1995 })
        {
            timings.StillRunningAt(TimeSpan.FromMilliseconds(ms));
        }

        Assert.False(timings.Steady(within));
        timings.StillRunningAt(TimeSpan.FromMilliseconds(2005));
        Assert.True(timings.Steady(within));

        // One slow task among them does not count; the middle half spread over more than the wait does.
        timings.StillRunningAt(TimeSpan.FromMilliseconds(2900));
        Assert.True(timings.Steady(within));
        foreach (var ms in new[] { 2100, 2150, 2200 })
        {
            timings.StillRunningAt(TimeSpan.FromMilliseconds(ms));
        }

        Assert.False(timings.Steady(within));
    }

    [Fact]
    public void StillRunningAt_OneSlowTask_DoesNotMoveTheFirstPollLater()
    {
        // The median of the tasks' last "still running" polls bounds the first poll from above (here about 1985 ms, where the
        // controller alone would wait 2070 ms): eleven tasks of 2 s and one of 9 s leave it where the 2 s tasks put it.
        var (timings, time) = Create(InferenceTimings.WatchedHitRate);
        Run(timings, time, "a", 2300, done: true);
        for (var i = 0; i < 11; i++)
        {
            timings.StillRunningAt(TimeSpan.FromMilliseconds(1980 + i));
        }

        var learned = timings.ExpectedMs();
        timings.StillRunningAt(TimeSpan.FromSeconds(9));

        Assert.InRange(learned, 1980, 1990);
        Assert.Equal(learned, timings.ExpectedMs());
    }

    [Fact]
    public void Polled_SubmissionsNeverPolledHere_StopCountingAfterAMinute()
    {
        // Fifty submissions whose first poll ran elsewhere (another instance) or never (canceled jobs): once stale they
        // must not shrink this host's steps, nor stay in memory.
        var (timings, time) = Create();
        Run(timings, time, "warm", TrueDurationMs, done: false);
        for (var i = 0; i < 50; i++)
        {
            timings.Submitted($"elsewhere{i}");
        }

        time.Advance(TimeSpan.FromSeconds(61));
        var before = timings.ExpectedMs();
        Run(timings, time, "a", 1000, done: true);

        var fullStep = Math.Exp(-InferenceTimings.Gain * (1 - InferenceTimings.DurablePollHitRate));
        Assert.InRange(timings.ExpectedMs(), (int)(before * fullStep) - 1, (int)(before * fullStep) + 1);
    }

    [Fact]
    public void Polled_LaterPollsOfTheSameTask_ChangeNothing()
    {
        var (timings, time) = Create();
        Run(timings, time, "a", 2000, done: false);
        var afterFirst = timings.ExpectedMs();

        time.Advance(TimeSpan.FromSeconds(1));
        timings.Polled("a", done: true);

        Assert.Equal(afterFirst, timings.ExpectedMs());
    }

    [Fact]
    public void StillRunningAt_BeforeAnyFirstPollFoundAResult_MovesTheFirstPollUpAtOnce()
    {
        // A cold host: its first polls come after the initial guess and miss; a task seen still running at 1.95 s says
        // inferences take at least that long here.
        var (timings, time) = Create(InferenceTimings.WatchedHitRate);
        Run(timings, time, "a", InitialDelayMs, done: false);
        timings.StillRunningAt(TimeSpan.FromMilliseconds(1950));
        Assert.Equal(1950, timings.ExpectedMs());

        // A lower bound never shortens it.
        timings.StillRunningAt(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(1950, timings.ExpectedMs());
    }

    [Fact]
    public void StillRunningAt_AfterAFirstPollFoundAResult_LeavesTheDelayToTheController()
    {
        // Once a first poll has found a result the delay is in range: one slow task (9 s) must not push every next first
        // poll (and the finished results waiting for it) out to 9 s.
        var (timings, time) = Create(InferenceTimings.WatchedHitRate);
        Run(timings, time, "a", TrueDurationMs, done: true);
        var learned = timings.ExpectedMs();

        timings.StillRunningAt(TimeSpan.FromSeconds(9));

        Assert.Equal(learned, timings.ExpectedMs());
    }

    private static (InferenceTimings Timings, FakeTimeProvider Time) Create(double targetHitRate = InferenceTimings.DurablePollHitRate)
    {
        var time = new FakeTimeProvider();
        return (new InferenceTimings(time, targetHitRate), time);
    }

    /// <summary>Jobs one after another as the orchestrator schedules them; returns how many first polls found the result.</summary>
    private static int SimulateJobs(InferenceTimings timings, FakeTimeProvider time, int jobs, int queueingMs)
    {
        var found = 0;
        for (var i = 0; i < jobs; i++)
        {
            var firstPoll = Math.Max(InitialDelayMs, timings.ExpectedMs()) + queueingMs;
            var done = firstPoll >= TrueDurationMs;
            found += done ? 1 : 0;
            Run(timings, time, $"job{i}", firstPoll, done);
        }

        return found;
    }

    /// <summary>
    /// Inferences of <see cref="TrueDurationMs"/> (plus up to 20 ms) on <paramref name="slots"/> slots, each submitted
    /// when the last one on its slot was seen: first poll at <see cref="InferenceTimings.ExpectedMs"/>, then every
    /// 100 ms. Returns how long each result waited for the poll that saw it.
    /// </summary>
    private static List<double> RunSlots(InferenceTimings timings, FakeTimeProvider time, int slots, int inferences) =>
        RunSlots(timings, time, slots, inferences, out _);

    /// <summary>
    /// As above, polling every <paramref name="closeMs"/> after a miss; with <paramref name="reportStillRunning"/>, a result
    /// found after a miss reports when its task was last seen running, as the runner's watch does. <paramref name="polls"/>:
    /// every poll made.
    /// </summary>
    private static List<double> RunSlots(InferenceTimings timings, FakeTimeProvider time, int slots, int inferences, out int polls, int closeMs = 100, bool reportStillRunning = false) =>
        RunSlots(timings, time, slots, inferences, out polls, () => closeMs, reportStillRunning, spreadMs: 20);

    /// <summary>
    /// As above, inferences spread over <paramref name="spreadMs"/>; each watch's close wait is asked of
    /// <paramref name="closeMs"/> when its first poll missed, as the runner's watch decides it once.
    /// </summary>
    private static List<double> RunSlots(InferenceTimings timings, FakeTimeProvider time, int slots, int inferences, out int polls, Func<double> closeMs, bool reportStillRunning, int spreadMs)
    {
        polls = 0;
        var random = new Random(7);
        var start = time.GetUtcNow();
        var due = new PriorityQueue<(string Task, double SubmittedMs, double DurationMs, double LastMissMs, double CloseMs), double>();
        void Submit(double atMs, int n)
        {
            var task = $"t{n}";
            timings.Submitted(task);
            var first = timings.ExpectedMs() is var learned and > 0 ? learned : InitialDelayMs;
            due.Enqueue((task, atMs, TrueDurationMs + (random.NextDouble() * spreadMs), -1, 0), atMs + first);
        }

        var submitted = 0;
        for (; submitted < slots; submitted++)
        {
            time.Advance(TimeSpan.FromMilliseconds(37));
            Submit((time.GetUtcNow() - start).TotalMilliseconds, submitted);
        }

        var waits = new List<double>();
        while (waits.Count < inferences && due.TryDequeue(out var poll, out var atMs))
        {
            polls++;
            time.Advance(TimeSpan.FromMilliseconds(atMs) - (time.GetUtcNow() - start));
            var done = atMs - poll.SubmittedMs >= poll.DurationMs;
            if (poll.LastMissMs < 0)
            {
                timings.Polled(poll.Task, done);
            }

            if (done)
            {
                if (reportStillRunning && poll.LastMissMs >= 0)
                {
                    timings.StillRunningAt(TimeSpan.FromMilliseconds(poll.LastMissMs - poll.SubmittedMs));
                }

                waits.Add(atMs - poll.SubmittedMs - poll.DurationMs);
                Submit(atMs, submitted++);
            }
            else
            {
                var close = poll.LastMissMs < 0 ? closeMs() : poll.CloseMs;
                due.Enqueue(poll with { LastMissMs = atMs, CloseMs = close }, atMs + close);
            }
        }

        return waits;
    }

    private static double Percentile(List<double> values, double p) => values.Order().ElementAt((int)(p * (values.Count - 1)));

    private static void Run(InferenceTimings timings, FakeTimeProvider time, string task, int pollAfterMs, bool done)
    {
        timings.Submitted(task);
        time.Advance(TimeSpan.FromMilliseconds(pollAfterMs));
        timings.Polled(task, done);
    }
}
