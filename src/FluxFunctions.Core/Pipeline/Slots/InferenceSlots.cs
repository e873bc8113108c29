using System.Collections.Concurrent;
using Azure.Data.Tables;
using FluxFunctions.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Whether a submission got a slot, and if not, how many wait ahead of it on this host and whether it waited its whole
/// time in line (<paramref name="WaitedOut"/>; false when turned away at once, the line being full).
/// </summary>
public readonly record struct SlotClaim(bool Held, int Ahead, bool WaitedOut = false);

/// <summary>
/// The deployment's <c>Flux__MaxConcurrentInferences</c>: at most that many Runware inferences are in flight at once,
/// across every host of the deployment (Function App instances, runners sharing a task hub). A slot is taken before an
/// inference is submitted and given back the moment its result is first seen, wherever that is (the activity that watches
/// it, a durable poll, Runware's webhook, on any host), or when its job ends without one; the slots live in a table
/// (<see cref="SlotTable"/>) and each names the taskUUID holding it, so the host that gives one back need not be the one
/// that took it. A hold lapses by itself after the inference timeout, for jobs ended from outside.
/// <para>On each host, submissions that find every slot taken wait in line (the oldest job first, else first come, first served), at most
/// <see cref="LineLength"/> of them and each for a bounded time; beyond that the youngest job is told to try again later. A slot given
/// back on this host passes straight to the head of its line; slots given back elsewhere are noticed by reading the table
/// while anyone waits.</para>
/// <para>A slot handed on here goes to the next submission at once and its row follows: the submission does not wait for
/// the conditional write that names it (a table round trip on every refill; docs/performance.md). Giving that slot back
/// waits for the write. Should the write lose to a change made elsewhere meanwhile (the slot given back on another host, or lapsed),
/// the submission takes a free slot if there is one, and otherwise runs over the limit until its result (logged).</para>
/// </summary>
public sealed partial class InferenceSlots : IDisposable
{
    /// <summary>How often a host with waiting submissions looks for slots given back elsewhere.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly SlotTable table;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TimeSpan hold;
    /// <summary>The slots taken or handed on here, by taskUUID: the row, or the write that names the holder in it.</summary>
    private readonly ConcurrentDictionary<string, Task<SlotRow?>> held = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly LinkedList<Waiter> line = new();
    private readonly CancellationTokenSource stopping = new();
    private Task? polling;
    /// <summary>Jobs preparing here that hold no slot (<see cref="TryTakeWhilePreparingAsync"/>).</summary>
    private int preparingWithoutSlot;

    internal InferenceSlots(SlotTable table, int capacity, int lineLength, TimeSpan hold, TimeProvider time, ILogger<InferenceSlots> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lineLength);
        this.table = table;
        Capacity = capacity;
        LineLength = lineLength;
        this.hold = hold;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// The slots of <paramref name="options"/>: <c>Flux__MaxConcurrentInferences</c> rows of the table
    /// <c>Flux__SlotTable</c>, in the partition named after the work container (one per deployment).
    /// </summary>
    public static InferenceSlots Create(TableServiceClient tables, FluxOptions options, TimeProvider time, ILogger<InferenceSlots> logger)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        var table = new SlotTable(tables.GetTableClient(options.SlotTable), options.WorkContainer, time);
        return new InferenceSlots(table, options.MaxConcurrentInferences, options.SlotLineLength, TimeSpan.FromSeconds(options.InferenceTimeoutSeconds + 60), time, logger);
    }

    /// <summary>Makes sure the slot table exists.</summary>
    public Task EnsureAsync(CancellationToken cancellationToken) => table.EnsureAsync(cancellationToken);

    /// <summary>Slots of the deployment.</summary>
    public int Capacity { get; }

    /// <summary>
    /// How many submissions may wait on this host for a slot at once (<c>Flux__SlotLineLength</c>), so a slot given back
    /// finds one waiting although the others come back to the line by durable timer. Each waits inside its activity: the
    /// host's activity concurrency must leave room for them, for the inferences being watched (<see cref="Capacity"/>) and
    /// for the rest of the work.
    /// </summary>
    public int LineLength { get; }

    /// <summary>Slots this host holds now.</summary>
    public int HeldHere => held.Count;

    /// <summary>Submissions waiting on this host now.</summary>
    public int Waiting
    {
        get
        {
            lock (gate)
            {
                return line.Count;
            }
        }
    }

    /// <summary>
    /// Takes a slot for <paramref name="taskUuid"/> (also when it holds one already, after a retry), waiting in line up to
    /// <paramref name="maxWait"/>. Not held: how many wait ahead on this host.
    /// </summary>
    public Task<SlotClaim> AcquireAsync(string taskUuid, TimeSpan maxWait, CancellationToken cancellationToken) =>
        AcquireAsync(taskUuid, null, maxWait, cancellationToken);

    /// <summary>
    /// As <see cref="AcquireAsync(string, TimeSpan, CancellationToken)"/>, its place in line given by when its job was
    /// created (<paramref name="jobCreatedAt"/>; null: when it joins): a job whose activity began late under a flood of
    /// admissions is not served after the jobs admitted behind it, so a batch's jobs finish in about the order they came.
    /// </summary>
    public async Task<SlotClaim> AcquireAsync(string taskUuid, DateTimeOffset? jobCreatedAt, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskUuid);
        if (held.ContainsKey(taskUuid))
        {
            return new SlotClaim(true, 0);
        }

        if (Waiting == 0 && await TryTakeAsync(taskUuid, cancellationToken).ConfigureAwait(false))
        {
            return new SlotClaim(true, 0);
        }

        var waiter = new Waiter(taskUuid, jobCreatedAt ?? time.GetUtcNow());
        lock (gate)
        {
            if (maxWait <= TimeSpan.Zero || LineLength == 0)
            {
                return new SlotClaim(false, line.Count);
            }

            if (line.Count >= LineLength)
            {
                // A full line keeps the oldest jobs: a newcomer older than its last waiter takes that place, and the
                // waiter turned out is told to come back later, as the newcomer would have been.
                if (line.Last!.Value.Since <= waiter.Since)
                {
                    return new SlotClaim(false, line.Count);
                }

                var youngest = line.Last.Value;
                line.RemoveLast();
                youngest.Granted.TrySetResult(false);
            }

            Place(waiter, aheadOfEquals: false);
            polling ??= Task.Run(PollAsync);
        }

        try
        {
            return new SlotClaim(await waiter.Granted.Task.WaitAsync(maxWait, time, cancellationToken).ConfigureAwait(false), 0);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (gate)
            {
                if (waiter.Node?.List is not null)
                {
                    var ahead = Position(waiter);
                    line.Remove(waiter.Node);
                    if (ex is OperationCanceledException)
                    {
                        throw;
                    }

                    LogWaitedOut(logger, taskUuid, (int)maxWait.TotalSeconds, ahead, held.Count, line.Count);
                    return new SlotClaim(false, ahead, WaitedOut: true);
                }

                // Being handed a slot right now: take the outcome (false if the hand-over fails: it is not put back in line).
                waiter.Abandoned = true;
            }

            return new SlotClaim(await waiter.Granted.Task.ConfigureAwait(false), 0);
        }
    }

    /// <summary>
    /// For a job whose inputs this host starts preparing (<see cref="EarlySlot"/>): a free slot for its first inference
    /// <paramref name="taskUuid"/> taken now, never waiting, when this host's free slots are enough for every job it is
    /// preparing that holds none yet. False when they are not (a slot held by a job still preparing would stand idle while
    /// a job prepared sooner waits: under a flood of admissions the slots go to the submissions as they come), when
    /// submissions wait in line here (they come first), or when no slot is free. A job that took one no longer counts as
    /// wanting one (it is counted among the held slots); every call that does not return true is followed by one
    /// <see cref="DonePreparing"/>.
    /// </summary>
    public async Task<bool> TryTakeWhilePreparingAsync(string taskUuid, DateTimeOffset? jobCreatedAt, CancellationToken cancellationToken)
    {
        var wantingHere = Interlocked.Increment(ref preparingWithoutSlot);
        var taken = held.Count + wantingHere <= Capacity
            && (await AcquireAsync(taskUuid, jobCreatedAt, TimeSpan.Zero, cancellationToken).ConfigureAwait(false)).Held;
        if (taken)
        {
            Interlocked.Decrement(ref preparingWithoutSlot);
        }

        return taken;
    }

    /// <summary>A job whose <see cref="TryTakeWhilePreparingAsync"/> did not return true has its inputs ready (or has ended).</summary>
    public void DonePreparing() => Interlocked.Decrement(ref preparingWithoutSlot);

    /// <summary>
    /// Gives back the slot <paramref name="taskUuid"/> holds, wherever it was taken: to the next submission waiting on
    /// this host, or free. Does nothing when the task holds none (given back already, never taken, lapsed). True when it
    /// gave one back.
    /// </summary>
    public async Task<bool> ReleaseAsync(string taskUuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskUuid);
        var row = held.TryRemove(taskUuid, out var mine) ? await mine.ConfigureAwait(false) : null;
        if (row is not null && Next() is { } head)
        {
            // Not the caller's token: the next submission goes on whatever becomes of this one.
            var handedOn = table.TryWriteAsync(row.Index, row.ETag, head.TaskUuid, hold, CancellationToken.None);
            held[head.TaskUuid] = HandOnAsync(handedOn, head.TaskUuid);
            head.Granted.TrySetResult(true);
            if (await handedOn.ConfigureAwait(false) is not null)
            {
                return true;
            }

            // The row changed elsewhere since this host took it (given back there, or lapsed): look for it again below.
            row = null;
        }

        row ??= await table.FindAsync(taskUuid, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; row is not null && row.Holder == taskUuid && attempt < 3; attempt++)
        {
            var next = Next();
            var written = await WriteForAsync(next, row.Index, row.ETag, cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                if (next is not null)
                {
                    Grant(next, written);
                }

                return true;
            }

            // Someone changed the row since (it lapsed and was taken, or was given back elsewhere): look again.
            if (next is not null)
            {
                Requeue(next);
            }

            row = await table.FindAsync(taskUuid, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Whether <paramref name="taskUuid"/> holds a slot now (on any host).</summary>
    public async Task<bool> IsHeldAsync(string taskUuid, CancellationToken cancellationToken) =>
        held.ContainsKey(taskUuid) || await table.FindAsync(taskUuid, cancellationToken).ConfigureAwait(false) is not null;

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    /// <summary>A free slot (or the one it already holds) for <paramref name="taskUuid"/>, if any.</summary>
    private async Task<bool> TryTakeAsync(string taskUuid, CancellationToken cancellationToken)
    {
        var rows = await table.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (rows.FirstOrDefault(r => r.Holder == taskUuid) is { } own)
        {
            held[taskUuid] = Task.FromResult<SlotRow?>(own);
            return true;
        }

        if (await TakeFreeAsync(rows, taskUuid, cancellationToken).ConfigureAwait(false) is { } taken)
        {
            held[taskUuid] = Task.FromResult<SlotRow?>(taken);
            return true;
        }

        return false;
    }

    /// <summary>A free slot of <paramref name="rows"/> taken for <paramref name="taskUuid"/>, if any is left.</summary>
    private async Task<SlotRow?> TakeFreeAsync(IReadOnlyList<SlotRow> rows, string taskUuid, CancellationToken cancellationToken)
    {
        foreach (var (index, etag) in FreeSlots(rows))
        {
            if (await table.TryWriteAsync(index, etag, taskUuid, hold, cancellationToken).ConfigureAwait(false) is { } taken)
            {
                return taken;
            }
        }

        return null;
    }

    /// <summary>
    /// The slot of <paramref name="next"/>, already told it has one: the row <paramref name="written"/> names it in. When
    /// that row changed elsewhere meanwhile, a free slot for it, or null (it runs over the limit until its result).
    /// </summary>
    private async Task<SlotRow?> HandOnAsync(Task<SlotRow?> written, string next)
    {
        try
        {
            if (await written.ConfigureAwait(false) is { } row)
            {
                return row;
            }

            if (await TakeFreeAsync(await table.ReadAsync(CancellationToken.None).ConfigureAwait(false), next, CancellationToken.None).ConfigureAwait(false) is { } free)
            {
                return free;
            }
        }
#pragma warning disable CA1031 // Storage briefly unreachable: the submission goes on; its slot is not recorded (it runs over the limit).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandOnFailed(logger, next, ex.GetType().Name);
            return null;
        }

        LogOverLimit(logger, next);
        return null;
    }

    /// <summary>The free slots (and those not written yet) in random order, so hosts do not all try the same one first.</summary>
    private List<(int Index, Azure.ETag? ETag)> FreeSlots(IReadOnlyList<SlotRow> rows)
    {
        var now = time.GetUtcNow();
        var byIndex = rows.Where(r => r.Index < Capacity).ToDictionary(r => r.Index);
        var free = Enumerable.Range(0, Capacity)
            .Where(i => !byIndex.TryGetValue(i, out var r) || r.IsFreeAt(now))
            .Select(i => (i, byIndex.TryGetValue(i, out var r) ? (Azure.ETag?)r.ETag : null))
            .ToList();
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(free));
        return free;
    }

    /// <summary>While submissions wait here, hands them the slots given back on other hosts.</summary>
    private async Task PollAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (Waiting == 0)
                {
                    lock (gate)
                    {
                        if (line.Count == 0)
                        {
                            polling = null;
                            return;
                        }
                    }
                }

                var rows = await table.ReadAsync(stopping.Token).ConfigureAwait(false);
                GrantOwnRows(rows);
                foreach (var (index, etag) in FreeSlots(rows))
                {
                    if (Next() is not { } next)
                    {
                        break;
                    }

                    if (await WriteForAsync(next, index, etag, stopping.Token).ConfigureAwait(false) is { } taken)
                    {
                        Grant(next, taken);
                    }
                    else
                    {
                        Requeue(next);
                    }
                }

                await Task.Delay(PollInterval, time, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Storage may be briefly unreachable: waiting submissions time out and are told to come back.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPollFailed(logger, ex.GetType().Name);
                await Task.Delay(PollInterval * 4, time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Hands waiters the slots their taskUUIDs already hold: taken by an earlier execution of the same attempt (this host
    /// was killed and the durable engine ran the activity again), so theirs, not a place in line. Without it a restarted
    /// host whose line was not empty left such slots held until they expired (<c>Flux__InferenceTimeoutSeconds</c> + 60 s):
    /// with every slot held by an attempt waiting in line for another, nothing moved.
    /// </summary>
    private void GrantOwnRows(IReadOnlyList<SlotRow> rows)
    {
        var now = time.GetUtcNow();
        List<(Waiter Waiter, SlotRow Row)>? owners = null;
        lock (gate)
        {
            foreach (var row in rows)
            {
                if (row.IsFreeAt(now))
                {
                    continue;
                }

                for (var node = line.First; node is not null; node = node.Next)
                {
                    if (node.Value.TaskUuid == row.Holder)
                    {
                        line.Remove(node);
                        (owners ??= []).Add((node.Value, row));
                        break;
                    }
                }
            }
        }

        foreach (var (waiter, row) in owners ?? [])
        {
            Grant(waiter, row);
        }
    }

    /// <summary>
    /// Writes <paramref name="next"/> (null: free) into slot <paramref name="index"/>; should the write throw, the waiter
    /// taken out of the line for it goes back to its head (else it would wait for a grant that never comes).
    /// </summary>
    private async Task<SlotRow?> WriteForAsync(Waiter? next, int index, Azure.ETag? etag, CancellationToken cancellationToken)
    {
        try
        {
            return await table.TryWriteAsync(index, etag, next?.TaskUuid, hold, cancellationToken).ConfigureAwait(false);
        }
        catch when (next is not null)
        {
            Requeue(next);
            throw;
        }
    }

    /// <summary>Takes the head of the line out, to hand it a slot.</summary>
    private Waiter? Next()
    {
        lock (gate)
        {
            if (line.First is not { } first)
            {
                return null;
            }

            line.RemoveFirst();
            return first.Value;
        }
    }

    /// <summary>Puts back in line, where it was, a waiter whose slot went to someone else.</summary>
    private void Requeue(Waiter waiter)
    {
        lock (gate)
        {
            if (waiter.Abandoned)
            {
                waiter.Granted.TrySetResult(false);
                return;
            }

            Place(waiter, aheadOfEquals: true);
        }
    }

    /// <summary>
    /// Puts <paramref name="waiter"/> in line by its job's age, oldest first: a newcomer behind the jobs as old as its own
    /// (first come, first served among them), a waiter put back (its slot went elsewhere) ahead of them, where it was.
    /// </summary>
    private void Place(Waiter waiter, bool aheadOfEquals)
    {
        var after = line.Last;
        while (after is not null && (after.Value.Since > waiter.Since || (aheadOfEquals && after.Value.Since == waiter.Since)))
        {
            after = after.Previous;
        }

        waiter.Node = after is null ? line.AddFirst(waiter) : line.AddAfter(after, waiter);
    }

    private void Grant(Waiter waiter, SlotRow row)
    {
        held[waiter.TaskUuid] = Task.FromResult<SlotRow?>(row);
        waiter.Granted.TrySetResult(true);
    }

    private int Position(Waiter waiter)
    {
        var ahead = 0;
        for (var n = line.First; n is not null && n.Value != waiter; n = n.Next)
        {
            ahead++;
        }

        return ahead;
    }

    [LoggerMessage(EventId = 1461, Level = LogLevel.Warning, Message = "Inference slots: the slot handed to task {TaskUuid} was given back elsewhere meanwhile and none is free; it runs over the limit until its result")]
    private static partial void LogOverLimit(ILogger logger, string taskUuid);

    [LoggerMessage(EventId = 1462, Level = LogLevel.Warning, Message = "Inference slots: recording the slot handed to task {TaskUuid} failed ({Reason}); it runs over the limit until its result")]
    private static partial void LogHandOnFailed(ILogger logger, string taskUuid, string reason);

    [LoggerMessage(EventId = 1460, Level = LogLevel.Warning, Message = "Inference slots: reading the slot table failed ({Reason}); waiting submissions try again")]
    private static partial void LogPollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1464, Level = LogLevel.Information, Message = "Inference slots: task {TaskUuid} waited {Seconds} s in line without a slot ({Ahead} ahead of it, {HeldHere} slots held on this host, {Waiting} still waiting); it comes back later")]
    private static partial void LogWaitedOut(ILogger logger, string taskUuid, int seconds, int ahead, int heldHere, int waiting);

    private sealed class Waiter(string taskUuid, DateTimeOffset since)
    {
        public string TaskUuid { get; } = taskUuid;

        /// <summary>Its place in line: when its job was created (or when it joined).</summary>
        public DateTimeOffset Since { get; } = since;

        public LinkedListNode<Waiter>? Node { get; set; }

        /// <summary>Its wait is over while a slot was being handed to it: not put back in line if that fails.</summary>
        public bool Abandoned { get; set; }

        public TaskCompletionSource<bool> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
