using System.Collections.Concurrent;
using FluxFunctions.Emulator.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Tasks;

/// <summary>
/// Every accepted task UUID (duplicate detection for any task type, <c>getResponse</c> for inferences, <c>getTaskDetails</c>).
/// Bounded by <c>MaxTasks</c>: beyond it the oldest finished tasks are forgotten. Thread-safe.
/// </summary>
internal sealed class TaskRegistry
{
    private readonly ConcurrentDictionary<Guid, RegisteredTask> tasks = new();
    private readonly Queue<Guid> order = new();
    private readonly Lock gate = new();
    private readonly int maxTasks;

    public TaskRegistry(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        maxTasks = options.Value.MaxTasks;
    }

    /// <summary>Tasks remembered now.</summary>
    public int Count => tasks.Count;

    /// <summary>Registers a new task UUID; false when it is already known (a duplicate).</summary>
    public bool TryRegister(Guid taskUuid, RegisteredTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (gate)
        {
            if (!tasks.TryAdd(taskUuid, task))
            {
                return false;
            }

            order.Enqueue(taskUuid);
            EvictBeyondLimit();
            return true;
        }
    }

    /// <summary>Puts a task under a UUID whether or not it is known (a duplicate accepted again replaces the old task).</summary>
    public void Replace(Guid taskUuid, RegisteredTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (gate)
        {
            if (tasks.TryAdd(taskUuid, task))
            {
                order.Enqueue(taskUuid);
                EvictBeyondLimit();
                return;
            }

            tasks[taskUuid] = task;
        }
    }

    /// <summary>Forgets a task UUID (a forgotten inference); a later task may use it again.</summary>
    public void Remove(Guid taskUuid)
    {
        lock (gate)
        {
            tasks.TryRemove(taskUuid, out _);
        }
    }

    /// <summary>Finds a task by UUID.</summary>
    public bool TryGet(Guid taskUuid, out RegisteredTask task) => tasks.TryGetValue(taskUuid, out task!);

    private void EvictBeyondLimit()
    {
        // Unfinished inferences are kept (moved to the back) so a client can always poll what is still running.
        var budget = order.Count;
        while (tasks.Count > maxTasks && budget-- > 0)
        {
            var oldest = order.Dequeue();
            if (tasks.TryGetValue(oldest, out var task) && task.Job is { Result: null })
            {
                order.Enqueue(oldest);
                continue;
            }

            tasks.TryRemove(oldest, out _);
        }
    }
}
