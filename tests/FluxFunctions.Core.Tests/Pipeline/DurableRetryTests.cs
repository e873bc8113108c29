using FluxFunctions.Core.Pipeline;

namespace FluxFunctions.Core.Tests.Pipeline;

public sealed class DurableRetryTests
{
    [Fact]
    public void Delay_SameJob_IsTheSameOnEveryReplay()
    {
        Assert.Equal(new DurableRetry(6, "job-a").Delay(3), new DurableRetry(6, "job-a").Delay(3));
    }

    [Fact]
    public void Delay_DoublesWithinHalfToOneAndAHalfTimes()
    {
        var retry = new DurableRetry(6, "job-a");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var plain = 2000 * Math.Pow(2, attempt - 1);
            Assert.InRange(retry.Delay(attempt).TotalMilliseconds, plain * 0.5, plain * 1.5);
        }

        Assert.InRange(retry.Delay(10).TotalMilliseconds, 30_000, 90_000); // capped at 60 s before the jitter
    }

    [Fact]
    public void Delay_JobsThatFailedTogether_ComeBackSpreadOut()
    {
        // Twenty jobs whose first attempt failed at the same moment: their second attempts are spread over the window.
        var delays = Enumerable.Range(0, 20).Select(i => new DurableRetry(6, $"job-{i}").Delay(1).TotalMilliseconds).ToList();

        Assert.True(delays.Distinct().Count() >= 18, string.Join(", ", delays));
        Assert.True(delays.Max() - delays.Min() > 1000, $"spread {delays.Max() - delays.Min()} ms");
    }
}
