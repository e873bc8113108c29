using System.Collections.Concurrent;
using FluxFunctions.Core.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Bounds the Runware inferences this host has in flight (<c>Flux__MaxConcurrentInferences</c>). A slot is taken when an
/// inference is submitted and given back when its result (or error) is seen, keyed by taskUUID so that a retried submit
/// or a repeated poll never takes or frees a slot twice. A slot not given back (the poll ran on another host, a job was
/// canceled) expires after the inference timeout.
/// <para>At most <see cref="Capacity"/> submissions wait for a slot at once (inside their activity, so a freed slot goes
/// to one of them at once); any further one is told to come back later without waiting. Without that bound a backlog
/// of hundreds of jobs would fill every activity worker with waiting submissions, and the polls that give slots back
/// could not run.</para>
/// </summary>
public sealed class InferenceSlots : IDisposable
{
    private readonly SemaphoreSlim semaphore;
    private readonly ConcurrentDictionary<string, DateTimeOffset> held = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly TimeSpan leaseLifetime;
    private readonly object sweepGate = new();
    private int waiting;

    public InferenceSlots(IOptions<FluxOptions> options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.MaxConcurrentInferences;
        semaphore = new SemaphoreSlim(Capacity, Capacity);
        this.time = time ?? TimeProvider.System;
        leaseLifetime = TimeSpan.FromSeconds(options.Value.InferenceTimeoutSeconds + 60);
    }

    public int Capacity { get; }

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

    /// <summary>Gives the slot of <paramref name="taskUuid"/> back; a no-op when this host does not hold it.</summary>
    public void Release(string taskUuid)
    {
        if (held.TryRemove(taskUuid, out _))
        {
            semaphore.Release();
        }
    }

    /// <summary>Submissions waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    public void Dispose() => semaphore.Dispose();

    /// <summary>Waits for a slot when fewer than <see cref="Capacity"/> others already do; false when the line is full or the time is up.</summary>
    private async Task<bool> WaitInLineAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref waiting) > Capacity)
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
