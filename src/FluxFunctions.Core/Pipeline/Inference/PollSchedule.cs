namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// When to poll a task that is still processing again, for the in-process watch (<see cref="ResultWatch"/>) and the
/// durable polls (<see cref="ResultWait"/>) alike. Right after a first poll that came too early (until a tenth past the
/// expected time), where most results land: every <c>close</c> (only the in-process watch polls this closely,
/// <see cref="ResultWatch.CloseWait"/>; a durable poll passes none). Then until half
/// as long again as the expected time: every <c>near</c>, or a twentieth of the expected time when that is longer, so a
/// finished result waits little for its poll while it holds its slot. Later the task is slower than usual: each wait
/// half as long again as the last, up to <c>max</c>, never below <c>near</c>.
/// </summary>
internal static class PollSchedule
{
    /// <summary>The share past the expected time polled every <c>close</c>.</summary>
    private const double CloseWindow = 1.1;

    /// <param name="elapsed">Time since the waiting started.</param>
    /// <param name="expected">When the first poll was made.</param>
    /// <param name="near">The wait near the expected time.</param>
    /// <param name="last">The last wait between polls (zero after the first poll).</param>
    /// <param name="max">The longest wait.</param>
    /// <param name="close">The wait right after the expected time (null: <paramref name="near"/> there too).</param>
    public static TimeSpan Next(TimeSpan elapsed, TimeSpan expected, TimeSpan near, TimeSpan last, TimeSpan max, TimeSpan? close = null)
    {
        if (close is { } c && elapsed < expected * CloseWindow)
        {
            return c;
        }

        var often = near > expected / 20 ? near : expected / 20;
        if (elapsed < expected * 1.5)
        {
            return often;
        }

        var grown = last * 1.5 < max ? last * 1.5 : max;
        return grown > often ? grown : often;
    }
}
