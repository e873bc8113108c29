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
    public void Polled_LaterPollsOfTheSameTask_ChangeNothing()
    {
        var (timings, time) = Create();
        Run(timings, time, "a", 2000, done: false);
        var afterFirst = timings.ExpectedMs();

        time.Advance(TimeSpan.FromSeconds(1));
        timings.Polled("a", done: true);

        Assert.Equal(afterFirst, timings.ExpectedMs());
    }

    private static (InferenceTimings Timings, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider();
        return (new InferenceTimings(time), time);
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

    private static void Run(InferenceTimings timings, FakeTimeProvider time, string task, int pollAfterMs, bool done)
    {
        timings.Submitted(task);
        time.Advance(TimeSpan.FromMilliseconds(pollAfterMs));
        timings.Polled(task, done);
    }
}
