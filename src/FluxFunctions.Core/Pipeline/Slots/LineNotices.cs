namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Fairness between hosts. A slot given back on a host passes straight to that host's line, so a host whose waiters
/// keep coming could keep every slot while another host's older jobs wait out their time in line (scale-out bench: one
/// job of a batch came back 35 s after the rest). So a host whose line's head has waited <see cref="PostAfter"/> while
/// some slot is held elsewhere (a host holding every slot waits on itself alone) posts a notice in the slot partition:
/// the creation time of its oldest waiting job, lapsing after <see cref="Lapse"/> unless renewed (a host that dies leaves
/// nothing that lasts). Every read of the slots brings the notices with them; a host whose own head is younger than
/// another host's posted one gives a slot back to the table instead of passing it on, and takes no free slot, so that
/// host's next poll (<see cref="InferenceSlots.PollInterval"/>) takes it. The oldest job across hosts goes first, as
/// within one host.
/// </summary>
internal sealed class LineNotices(SlotTable table, TimeProvider time)
{
    /// <summary>How long a line's head waits before its host posts a notice (a host served by its own slots never does).</summary>
    public static readonly TimeSpan PostAfter = TimeSpan.FromSeconds(1);

    /// <summary>How often a posted notice is renewed while its head waits.</summary>
    public static readonly TimeSpan Renew = TimeSpan.FromSeconds(2);

    /// <summary>How long a notice counts without renewal.</summary>
    public static readonly TimeSpan Lapse = TimeSpan.FromSeconds(6);

    private readonly string host = Guid.NewGuid().ToString("N")[..16];
    private readonly Lock gate = new();
    private (DateTimeOffset Oldest, DateTimeOffset Until)? olderElsewhere;
    private (DateTimeOffset Oldest, DateTimeOffset At)? posted;

    /// <summary>Takes in the notices of a read: the oldest job another host's line posted and still counts.</summary>
    public void Saw(IReadOnlyList<LineNotice> notices)
    {
        var now = time.GetUtcNow();
        var oldest = notices.Where(n => n.Host != host && n.Until > now).MinBy(n => n.Oldest);
        lock (gate)
        {
            olderElsewhere = oldest is null ? null : (oldest.Oldest, oldest.Until);
        }
    }

    /// <summary>Whether another host posted a waiting job created before <paramref name="since"/> (and its notice still counts).</summary>
    public bool OlderElsewhere(DateTimeOffset since)
    {
        lock (gate)
        {
            return olderElsewhere is { } other && other.Until > time.GetUtcNow() && other.Oldest < since;
        }
    }

    /// <summary>
    /// After each read while this host's line waits: posts the notice for its head (created at <paramref name="oldest"/>,
    /// waiting since <paramref name="joined"/>) once that has waited <see cref="PostAfter"/>; once posted, keeps it true
    /// (a new head at once, so no host defers to a job served meanwhile) and renews it.
    /// </summary>
    public async Task KeepAsync(DateTimeOffset oldest, DateTimeOffset joined, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = posted is { } p ? p.Oldest != oldest || now - p.At >= Renew : now - joined >= PostAfter;
        if (!due)
        {
            return;
        }

        await table.PostNoticeAsync(host, oldest, now + Lapse, cancellationToken).ConfigureAwait(false);
        posted = (oldest, now);
    }

    /// <summary>When this host's line is empty: takes its notice down, if it posted one.</summary>
    public async Task WithdrawAsync(CancellationToken cancellationToken)
    {
        if (posted is null)
        {
            return;
        }

        posted = null;
        await table.WithdrawNoticeAsync(host, cancellationToken).ConfigureAwait(false);
    }
}
