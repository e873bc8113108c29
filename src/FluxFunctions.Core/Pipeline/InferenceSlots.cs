using System.Collections.Concurrent;
using FluxFunctions.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Bounds the Runware inferences this host has in flight (<c>Flux__MaxConcurrentInferences</c>). A slot is taken when an
/// inference is submitted and given back when its result (or error) is seen, keyed by taskUUID so that a retried submit
/// or a repeated poll never takes or frees a slot twice. A slot not given back (the poll ran on another host, a job was
/// canceled) expires after the inference timeout.
/// <para>At most <see cref="LineLength"/> submissions wait for a slot at once (inside their activity, so a freed slot goes
/// to one of them at once); any further one is told to come back later without waiting. Without that bound a backlog
/// of hundreds of jobs would fill every activity worker with waiting submissions, and the polls that give slots back
/// could not run.</para>
/// <para>A submission turned away joins a queue (first come, first served) when the host can raise events on
/// orchestrations (<see cref="IOrchestrationEvents"/>, the self-hosted runner): whenever the line has room, the next
/// queued job is told by <see cref="EventName"/> to come back, so the line stays full and a freed slot is taken at once,
/// while the jobs behind wait on one event each instead of retrying on timers. A job told to come back that finds the
/// line full again keeps its place at the front. The queue is not durable: the job's fallback timer covers a lost
/// event or a restart.</para>
/// </summary>
public sealed partial class InferenceSlots : IDisposable
{
    /// <summary>How long a job told to come back counts against the line's room before it is assumed lost.</summary>
    public static readonly TimeSpan SignalLifetime = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim semaphore;
    private readonly ConcurrentDictionary<string, DateTimeOffset> held = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly TimeSpan leaseLifetime;
    private readonly object sweepGate = new();
    private readonly IOrchestrationEvents? events;
    private readonly ILogger logger;
    private readonly object queueGate = new();
    private readonly LinkedList<(string JobId, string TaskUuid)> queue = new();
    private readonly Dictionary<string, LinkedListNode<(string JobId, string TaskUuid)>> queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> signaled = new(StringComparer.Ordinal);
    private int waiting;

    public InferenceSlots(IOptions<FluxOptions> options, TimeProvider? time = null, IOrchestrationEvents? events = null, ILogger<InferenceSlots>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.MaxConcurrentInferences;
        semaphore = new SemaphoreSlim(Capacity, Capacity);
        this.time = time ?? TimeProvider.System;
        this.events = events;
        this.logger = logger ?? NullLogger<InferenceSlots>.Instance;
        leaseLifetime = TimeSpan.FromSeconds(options.Value.InferenceTimeoutSeconds + 60);
    }

    /// <summary>The external event that tells a queued job's orchestration to submit <paramref name="taskUuid"/> again.</summary>
    public static string EventName(string taskUuid)
    {
        ArgumentNullException.ThrowIfNull(taskUuid);
        return "inference-slot:" + taskUuid.ToLowerInvariant();
    }

    /// <summary>Whether a job turned away is queued and told when to come back (else it retries on its own timer).</summary>
    public bool Signals => events is not null;

    /// <summary>Jobs queued for a slot, not yet told to come back.</summary>
    public int Queued
    {
        get
        {
            lock (queueGate)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>
    /// As <see cref="TryAcquireAsync(string, TimeSpan, CancellationToken)"/>; when turned away and <see cref="Signals"/>,
    /// also queues job <paramref name="jobId"/> for the slot (at the front if it had been told to come back).
    /// </summary>
    public async Task<bool> TryAcquireAsync(string taskUuid, TimeSpan wait, string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var wasSignaled = Unqueue(taskUuid);
        var acquired = await TryAcquireAsync(taskUuid, wait, cancellationToken).ConfigureAwait(false);
        if (!acquired && events is not null)
        {
            lock (queueGate)
            {
                if (!queued.ContainsKey(taskUuid))
                {
                    queued[taskUuid] = wasSignaled ? queue.AddFirst((jobId, taskUuid)) : queue.AddLast((jobId, taskUuid));
                }
            }
        }

        Pump();
        return acquired;
    }

    public int Capacity { get; }

    /// <summary>
    /// How many submissions may wait inside their activity for a slot at once.
    /// Twice <see cref="Capacity"/> when queued jobs are signalled, to cover the time a signalled job takes to come back
    /// through the task hub; else <see cref="Capacity"/>, leaving the other activity workers to the polls.
    /// </summary>
    public int LineLength => events is null ? Capacity : 2 * Capacity;

    /// <summary>Inferences in flight on this host now.</summary>
    public int InFlight => held.Count;

    /// <summary>Takes a slot for <paramref name="taskUuid"/>, waiting up to <paramref name="wait"/>. True when held (also when it already was).</summary>
    public async Task<bool> TryAcquireAsync(string taskUuid, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        if (held.ContainsKey(taskUuid))
        {
            return true;
        }

        SweepExpired();
        if (!semaphore.Wait(0) && !await WaitInLineAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (!held.TryAdd(taskUuid, time.GetUtcNow() + leaseLifetime))
        {
            semaphore.Release();
        }

        return true;
    }

    /// <summary>Records that an inference this host did not submit (a restart, another host) is in flight, when a slot is free.</summary>
    public bool TryAdopt(string taskUuid)
    {
        if (held.ContainsKey(taskUuid))
        {
            return true;
        }

        if (!semaphore.Wait(0))
        {
            return false;
        }

        if (!held.TryAdd(taskUuid, time.GetUtcNow() + leaseLifetime))
        {
            semaphore.Release();
        }

        return true;
    }

    /// <summary>Gives the slot of <paramref name="taskUuid"/> back (or its place in the queue); a no-op when this host has neither.</summary>
    public void Release(string taskUuid)
    {
        if (held.TryRemove(taskUuid, out _))
        {
            semaphore.Release();
        }

        Unqueue(taskUuid);
        Pump();
    }

    /// <summary>Submissions waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    public void Dispose() => semaphore.Dispose();

    /// <summary>Waits for a slot when fewer than <see cref="LineLength"/> others already do; false when the line is full or the time is up.</summary>
    private async Task<bool> WaitInLineAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref waiting) > LineLength)
        {
            Interlocked.Decrement(ref waiting);
            return false;
        }

        try
        {
            return await semaphore.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
            Pump();
        }
    }

    /// <summary>Takes <paramref name="taskUuid"/> out of the queue; true when it had been told to come back.</summary>
    private bool Unqueue(string taskUuid)
    {
        if (events is null)
        {
            return false;
        }

        lock (queueGate)
        {
            if (queued.Remove(taskUuid, out var node))
            {
                queue.Remove(node);
            }

            return signaled.Remove(taskUuid);
        }
    }

    /// <summary>Tells as many queued jobs to come back as the free slots and the line have room for.</summary>
    private void Pump()
    {
        if (events is null)
        {
            return;
        }

        List<(string JobId, string TaskUuid)>? due = null;
        lock (queueGate)
        {
            if (queue.Count == 0)
            {
                return;
            }

            var now = time.GetUtcNow();
            foreach (var task in signaled.Where(s => s.Value < now).Select(s => s.Key).ToList())
            {
                signaled.Remove(task);
            }

            var room = semaphore.CurrentCount + LineLength - Waiting - signaled.Count;
            while (room-- > 0 && queue.First is { } first)
            {
                queue.RemoveFirst();
                queued.Remove(first.Value.TaskUuid);
                signaled[first.Value.TaskUuid] = now + SignalLifetime;
                (due ??= []).Add(first.Value);
            }
        }

        foreach (var (jobId, taskUuid) in due ?? [])
        {
            _ = SignalAsync(jobId, taskUuid);
        }
    }

    private async Task SignalAsync(string jobId, string taskUuid)
    {
        try
        {
            await events!.RaiseAsync(jobId, EventName(taskUuid), null, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A lost signal only delays the job until its fallback timer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSignalFailed(logger, jobId, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 1445, Level = LogLevel.Warning, Message = "Could not tell job {JobId} that an inference slot is free ({Reason}); it retries on its timer")]
    private static partial void LogSignalFailed(ILogger logger, string jobId, string reason);

    private void SweepExpired()
    {
        if (!Monitor.TryEnter(sweepGate))
        {
            return;
        }

        try
        {
            var now = time.GetUtcNow();
            foreach (var (task, expires) in held)
            {
                if (expires < now)
                {
                    Release(task);
                }
            }
        }
        finally
        {
            Monitor.Exit(sweepGate);
        }
    }
}
