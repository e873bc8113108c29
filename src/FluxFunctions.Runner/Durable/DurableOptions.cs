using System.ComponentModel.DataAnnotations;

namespace FluxFunctions.Runner.Durable;

/// <summary>
/// The runner's durable engine, section <c>Durable</c>. The task hub name defaults to host.json's
/// <c>extensions.durableTask.hubName</c>, so the runner and the Functions app agree.
/// </summary>
public sealed class DurableOptions
{
    public const string Section = "Durable";

    /// <summary>Task hub name (tables, queues and lease container prefix). Default: host.json's hubName, else FluxFunctions.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "must be 3-45 letters and digits, starting with a letter.")]
    public string HubName { get; set; } = "FluxFunctions";

    /// <summary>Control-queue partitions; fixed for the life of a task hub. Default 4.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// Activities this runner executes at once. Default 64: room for the inferences it watches
    /// (<c>Flux__MaxConcurrentInferences</c>), the submissions waiting for a slot (<c>Flux__SlotLineLength</c>) and the
    /// image work.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 64;

    /// <summary>Orchestration episodes this runner executes at once. Default 32.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 32;

    /// <summary>Longest pause between queue polls when idle. Default 1000 ms (the engine's own default is 30 s).</summary>
    [Range(100, 60000)]
    public int MaxQueuePollingIntervalMs { get; set; } = 1000;

    /// <summary>
    /// How long a dequeued activity message stays invisible. Running activities keep renewing it, so this is how soon a
    /// crashed runner's activities are picked up by another runner. Default 30 s.
    /// </summary>
    [Range(5, 3600)]
    public int WorkItemVisibilitySeconds { get; set; } = 30;

    /// <summary>
    /// How long a dequeued orchestration (control-queue) message stays invisible: how soon a crashed runner's orchestration
    /// messages reappear once its partitions are taken over. Default 60 s (the engine's own default is 5 minutes).
    /// </summary>
    [Range(10, 3600)]
    public int ControlQueueVisibilitySeconds { get; set; } = 60;

    /// <summary>Lease interval of control-queue partitions: how soon another runner takes over after a crash. Default 30 s.</summary>
    [Range(5, 600)]
    public int PartitionLeaseSeconds { get; set; } = 30;
}
