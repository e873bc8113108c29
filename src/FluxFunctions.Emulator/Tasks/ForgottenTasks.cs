using System.Collections.Concurrent;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Validation;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Tasks;

/// <summary>
/// Decides which async inferences are forgotten (acknowledged, then never run, and unknown afterwards) and remembers the
/// taskUUIDs forgotten by <c>emulator:forget-once</c>, so their resubmission runs. Bounded by <c>MaxTasks</c>. Thread-safe.
/// </summary>
internal sealed class ForgottenTasks
{
    private readonly ConcurrentDictionary<Guid, byte> forgottenOnce = new();
    private readonly ConcurrentQueue<Guid> order = new();
    private readonly EmulatorStats stats;
    private readonly ILogger<ForgottenTasks> logger;
    private readonly int capacity;

    public ForgottenTasks(EmulatorStats stats, IOptions<EmulatorOptions> options, ILogger<ForgottenTasks> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.stats = stats;
        this.logger = logger;
        capacity = options.Value.MaxTasks;
    }

    /// <summary>True when this submission is to be forgotten: by its trigger, or by the request's <c>forget</c> fault.</summary>
    /// <param name="taskUuid">The submitted taskUUID.</param>
    /// <param name="trigger">The inference's prompt trigger.</param>
    /// <param name="fault">True when the request drew the <c>forget</c> fault.</param>
    public bool ShouldForget(Guid taskUuid, ForgetTrigger trigger, bool fault) =>
        fault || trigger == ForgetTrigger.Always || (trigger == ForgetTrigger.Once && !forgottenOnce.ContainsKey(taskUuid));

    /// <summary>Records that an acknowledged inference was forgotten.</summary>
    public void Forgot(TaskHeader header, string reason)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (forgottenOnce.TryAdd(header.TaskUuid, 0))
        {
            order.Enqueue(header.TaskUuid);
            while (forgottenOnce.Count > capacity && order.TryDequeue(out var oldest))
            {
                forgottenOnce.TryRemove(oldest, out _);
            }
        }

        stats.InferenceForgotten();
        Log.TaskForgotten(logger, header.TaskUuidText, reason);
    }
}
