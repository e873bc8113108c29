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
/// <para>Where the host can raise events on orchestrations (<see cref="IOrchestrationEvents"/>, the self-hosted runner),
/// a submission that finds every slot taken joins a queue (first come, first served) with what it needs to be submitted
/// (<see cref="AcquireOrQueue"/>). The moment a slot is free the host submits the next one on its job's behalf and raises
/// <see cref="EventName"/> on the job with the outcome, so a freed slot is busy again within a Runware round trip
/// instead of after the job's own trip through the task hub, and the jobs behind wait on one event each instead of
/// retrying on timers. The queue is not durable: the job's fallback timer covers a lost event or a restart, and a
/// submission is idempotent by taskUUID.</para>
/// <para>Elsewhere (the Functions app) at most <see cref="LineLength"/> submissions wait inside their activity for a slot
/// (<see cref="TryAcquireAsync"/>) and any further one is told to come back later: without that bound a backlog of
/// hundreds of jobs would fill every activity worker with waiting submissions, and the polls that give slots back could
/// not run.</para>
/// </summary>
public sealed partial class InferenceSlots : IDisposable
{
    private readonly SemaphoreSlim semaphore;
    private readonly ConcurrentDictionary<string, DateTimeOffset> held = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly TimeSpan leaseLifetime;
    private readonly int maxWaitMs;
    private readonly object sweepGate = new();
    private readonly IOrchestrationEvents? events;
    private readonly ILogger logger;
    private readonly object queueGate = new();
    private readonly LinkedList<QueuedSubmission> queue = new();
    private readonly Dictionary<string, LinkedListNode<QueuedSubmission>> queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<SubmitInferenceResult?>> handOffs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
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
        maxWaitMs = (int)Math.Min(int.MaxValue, options.Value.InferenceTimeoutSeconds * 1000L);
    }

    /// <summary>The external event that brings a queued job the outcome of the submission made on its behalf (null: submit it yourself).</summary>
    public static string EventName(string taskUuid)
    {
        ArgumentNullException.ThrowIfNull(taskUuid);
        return "inference-slot:" + taskUuid.ToLowerInvariant();
    }

    /// <summary>Whether a submission turned away is queued and submitted by this host (<see cref="AcquireOrQueue"/>); else it waits in line (<see cref="TryAcquireAsync"/>).</summary>
    public bool QueuesSubmissions => events is not null;

    public int Capacity { get; }

    /// <summary>Submissions queued for a slot.</summary>
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

    /// <summary>Submissions this host is making on queued jobs' behalf now.</summary>
    public int HandingOff => handOffs.Count;

    /// <summary>How many submissions may wait inside their activity for a slot at once (hosts that do not queue): <see cref="Capacity"/>, leaving the other activity workers to the polls.</summary>
    public int LineLength => Capacity;

    /// <summary>Inferences in flight on this host now.</summary>
    public int InFlight => held.Count;

    /// <summary>Submissions waiting in line for a slot now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>
    /// Takes a slot for the submission now, or queues it (keeping its place when it already was) to be submitted by this
    /// host as soon as a slot is free for it. Only where <see cref="QueuesSubmissions"/>.
    /// </summary>
    public SlotClaim AcquireOrQueue(QueuedSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (events is null)
        {
            throw new InvalidOperationException("This host cannot tell a queued job its outcome; use TryAcquireAsync.");
        }

        SweepExpired();
        lock (queueGate)
        {
            if (handOffs.TryGetValue(submission.TaskUuid, out var handOff))
            {
                return new SlotClaim(false, 0, handOff);
            }

            if (held.ContainsKey(submission.TaskUuid))
            {
                return new SlotClaim(true, 0, null);
            }

            if (queued.TryGetValue(submission.TaskUuid, out var node))
            {
                node.Value = submission;
                return new SlotClaim(false, Position(node), null);
            }

            // Nobody queued ahead: a free slot is this submission's; else it joins the end of the queue.
            if (queue.Count == 0 && TryTake(submission.TaskUuid))
            {
                return new SlotClaim(true, 0, null);
            }

            queued[submission.TaskUuid] = queue.AddLast(submission);
            return new SlotClaim(false, queue.Count - 1, null);
        }
    }

    /// <summary>About how long a submission with <paramref name="ahead"/> others ahead of it waits for a slot, in milliseconds.</summary>
    public int EstimatedWaitMs(int ahead, int inferenceMs) =>
        (int)Math.Min(maxWaitMs, ((long)(Math.Max(0, ahead) / Capacity) + 1) * Math.Max(0, inferenceMs));

    /// <summary>Takes a slot for <paramref name="taskUuid"/>, waiting in line up to <paramref name="wait"/>. True when held (also when it already was).</summary>
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

        Hold(taskUuid);
        return true;
    }

    /// <summary>Gives the slot of <paramref name="taskUuid"/> back (or its place in the queue); a no-op when this host has neither.</summary>
    public void Release(string taskUuid)
    {
        if (held.TryRemove(taskUuid, out _))
        {
            semaphore.Release();
        }

        if (events is null)
        {
            return;
        }

        lock (queueGate)
        {
            if (queued.Remove(taskUuid, out var node))
            {
                queue.Remove(node);
            }
        }

        Pump();
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
        semaphore.Dispose();
    }

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
        }
    }

    /// <summary>A free slot, if any, held for <paramref name="taskUuid"/>.</summary>
    private bool TryTake(string taskUuid)
    {
        if (!semaphore.Wait(0))
        {
            return false;
        }

        Hold(taskUuid);
        return true;
    }

    /// <summary>Leases the slot just taken to <paramref name="taskUuid"/>, or gives it back when the task already held one.</summary>
    private void Hold(string taskUuid)
    {
        if (!held.TryAdd(taskUuid, time.GetUtcNow() + leaseLifetime))
        {
            semaphore.Release();
        }
    }

    private int Position(LinkedListNode<QueuedSubmission> node)
    {
        var ahead = 0;
        for (var n = queue.First; n is not null && n != node; n = n.Next)
        {
            ahead++;
        }

        return ahead;
    }

    /// <summary>Gives every free slot to the head of the queue and submits those on their jobs' behalf.</summary>
    private void Pump()
    {
        List<(QueuedSubmission Submission, TaskCompletionSource<SubmitInferenceResult?> Outcome)>? due = null;
        lock (queueGate)
        {
            while (queue.First is { } first && TryTake(first.Value.TaskUuid))
            {
                queue.RemoveFirst();
                queued.Remove(first.Value.TaskUuid);
                var outcome = new TaskCompletionSource<SubmitInferenceResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
                handOffs[first.Value.TaskUuid] = outcome.Task;
                (due ??= []).Add((first.Value, outcome));
            }
        }

        foreach (var (submission, outcome) in due ?? [])
        {
            _ = Task.Run(() => HandOffAsync(submission, outcome));
        }
    }

    /// <summary>Submits a queued inference on its job's behalf, then tells the job the outcome (null when the submission failed: the job submits it itself).</summary>
    private async Task HandOffAsync(QueuedSubmission submission, TaskCompletionSource<SubmitInferenceResult?> outcome)
    {
        SubmitInferenceResult? result = null;
        try
        {
            result = await submission.SubmitAsync(stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed hand-off sends the job back to its own activity, with its durable retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandOffFailed(logger, submission.JobId, submission.TaskUuid, ex.GetType().Name);
            Release(submission.TaskUuid);
        }
        finally
        {
            handOffs.TryRemove(submission.TaskUuid, out _);
            outcome.TrySetResult(result);
        }

        try
        {
            await events!.RaiseAsync(submission.JobId, EventName(submission.TaskUuid), result, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A lost event only delays the job until its fallback timer; the submission is idempotent.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSignalFailed(logger, submission.JobId, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 1445, Level = LogLevel.Warning, Message = "Could not tell job {JobId} the outcome of its queued inference ({Reason}); it checks on its fallback timer")]
    private static partial void LogSignalFailed(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 1446, Level = LogLevel.Warning, Message = "Submitting the queued inference {TaskUuid} of job {JobId} failed ({Reason}); the job submits it itself")]
    private static partial void LogHandOffFailed(ILogger logger, string jobId, string taskUuid, string reason);

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
