using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The slot of a job's first inference (its first piece's first submission), taken while the job's inputs are still being
/// prepared, when one is free for every job preparing on this host and nobody waits for one here
/// (<see cref="InferenceSlots.TryTakeWhilePreparingAsync"/>): the submission then finds it held
/// (<see cref="InferenceSlots.AcquireAsync"/> answers at once for a task that holds one) instead of reading and writing
/// the slot table after the preparation. When the job never submits that task (it fails or is canceled first, or has no
/// such piece) the slot is given back.
/// </summary>
internal sealed partial class EarlySlot
{
    private readonly InferenceSlots slots;
    private readonly ILogger logger;
    private readonly Task<bool?> settled;
    private bool handedOver;
    private int done;

    private EarlySlot(InferenceSlots slots, string taskUuid, DateTimeOffset jobCreatedAt, ILogger logger)
    {
        this.slots = slots;
        this.logger = logger;
        TaskUuid = taskUuid;

        // Not the activity's token: a take cut short could leave a row naming the task without this host knowing.
        settled = SettleAsync(slots.TryTakeWhilePreparingAsync(taskUuid, jobCreatedAt, CancellationToken.None));
    }

    /// <summary>The taskUUID the slot is taken for.</summary>
    public string TaskUuid { get; }

    /// <summary>Starts taking the slot of job <paramref name="jobId"/>'s first inference; returns at once.</summary>
    public static EarlySlot Take(InferenceSlots slots, string jobId, DateTimeOffset jobCreatedAt, ILogger logger) =>
        new(slots, RunwareIds.Inference(jobId, 0, 0).ToString(), jobCreatedAt, logger);

    /// <summary>
    /// Waits for the take to settle before the submissions of <paramref name="taskUuids"/> ask for their slots (a take still
    /// on its way would let the submission take a second one); from then on the slot is the submission's, if it is among them.
    /// </summary>
    public async Task HandOverAsync(IEnumerable<string> taskUuids)
    {
        var taken = await settled.ConfigureAwait(false);
        handedOver = taskUuids.Contains(TaskUuid, StringComparer.Ordinal);
        DonePreparing(taken);
    }

    /// <summary>Gives the slot back unless it was handed to the submission (after a take that failed too: its row may name the task).</summary>
    public async Task GiveBackUnlessSubmittedAsync()
    {
        var taken = await settled.ConfigureAwait(false);
        DonePreparing(taken);
        if (handedOver || taken == false)
        {
            return;
        }

        try
        {
            await slots.ReleaseAsync(TaskUuid, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Storage briefly unreachable: the row lapses by itself after its hold time; the job's own outcome stands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogGiveBackFailed(logger, TaskUuid, ex.GetType().Name);
        }
    }

    /// <summary>
    /// The job no longer counts among those preparing here without a slot (once, whichever of the hand-over and the end comes
    /// first); a job whose take succeeded stopped counting when it took the slot.
    /// </summary>
    private void DonePreparing(bool? taken)
    {
        if (taken != true && Interlocked.Exchange(ref done, 1) == 0)
        {
            slots.DonePreparing();
        }
    }

    /// <summary>
    /// The take's outcome, settled once (a failure logged once): true when the slot was taken, false when not, null when
    /// the take failed (whether a row names the task is unknown).
    /// </summary>
    private async Task<bool?> SettleAsync(Task<bool> taking)
    {
        try
        {
            return await taking.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed take only means the submission asks for its slot as usual.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogTakeFailed(logger, TaskUuid, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(EventId = 1473, Level = LogLevel.Warning, Message = "Slots: taking a slot early for task {TaskUuid} failed ({Reason}); its submission asks for one as usual")]
    private static partial void LogTakeFailed(ILogger logger, string taskUuid, string reason);

    [LoggerMessage(EventId = 1474, Level = LogLevel.Warning, Message = "Slots: giving back the slot taken early for task {TaskUuid} failed ({Reason}); it lapses after its hold time")]
    private static partial void LogGiveBackFailed(ILogger logger, string taskUuid, string reason);
}
