using FluxFunctions.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace FluxFunctions.Core.Tests.Pipeline;

public sealed class InferenceTimingsTests
{
    [Fact]
    public void ExpectedMs_FewerThanThreeSeen_IsUnknown()
    {
        var time = new FakeTimeProvider();
        var timings = new InferenceTimings(time);
        Observe(timings, time, "a", 2000);
        Observe(timings, time, "b", 2000);
        Assert.Equal(0, timings.ExpectedMs());
    }

    [Fact]
    public void ExpectedMs_FirstPollsAlwaysSeeTheResult_DoesNotCreepUpward()
    {
        // Each measured duration is the first poll's delay plus the hop that ran it (300 ms): the estimate must not
        // feed on itself. Start from inflated observations (a slow start) and let 50 jobs go by.
        var time = new FakeTimeProvider();
        var timings = new InferenceTimings(time);
        for (var i = 0; i < 4; i++)
        {
            Observe(timings, time, $"warm{i}", 5000);
        }

        const int trueDuration = 2000;
        for (var i = 0; i < 200; i++)
        {
            var firstPoll = Math.Max(1000, timings.ExpectedMs());
            var seenAfter = firstPoll >= trueDuration ? firstPoll + 300 : firstPoll + 1000 + 300;
            Observe(timings, time, $"job{i}", seenAfter);
        }

        Assert.InRange(timings.ExpectedMs(), 1000, 2600);
    }

    private static void Observe(InferenceTimings timings, FakeTimeProvider time, string task, int ms)
    {
        timings.Submitted(task);
        time.Advance(TimeSpan.FromMilliseconds(ms));
        timings.Finished(task);
    }
}
