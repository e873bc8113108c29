using System.Collections.Concurrent;
using DurableTask.Core;

namespace FluxFunctions.Runner.Durable;

/// <summary>
/// The orchestration service as the gRPC sidecar's dispatchers see it, with one addition: activity work items are kept
/// locked (their queue messages kept invisible) while the activity runs. The sidecar's activity dispatcher does not
/// renew locks itself, so without this a short work-item visibility timeout would hand a long activity to a second
/// runner, and a long timeout would leave the activities of a crashed runner invisible for minutes. With it, the
/// timeout can be short (<c>Durable__WorkItemVisibilitySeconds</c>) and a crashed runner's activities come back quickly.
/// </summary>
public sealed partial class ActivityLockRenewal(IOrchestrationService inner, TimeSpan visibility, ILogger logger) : IOrchestrationService, IDisposable
{
    private readonly ConcurrentDictionary<TaskActivityWorkItem, CancellationTokenSource> renewals = new();
    private Task? started;

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public Task StartAsync() => started = inner.StartAsync();

    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// Stops the service if it was started, after its start has finished. The sidecar stops the service whenever its host
    /// stops, also when it never started it (its start waits for the worker to connect) or is still starting it; the Azure
    /// Storage service then throws <see cref="NullReferenceException"/> (its shutdown token does not exist yet) from the
    /// sidecar's <c>async void</c> stopping handler, which ends the process. A runner stopped within a second of its start
    /// (on a busy machine, before its worker had connected) did exactly that.
    /// </summary>
    public async Task StopAsync(bool isForced)
    {
        if (Interlocked.Exchange(ref started, null) is not { } start)
        {
            return;
        }

        await start.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (start.IsCompletedSuccessfully)
        {
            await inner.StopAsync(isForced).ConfigureAwait(false);
        }
    }

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (workItem is not null)
        {
            var cts = new CancellationTokenSource();
            renewals[workItem] = cts;
            _ = RenewUntilDoneAsync(workItem, cts.Token);
        }

        return workItem!;
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        StopRenewing(workItem);
        await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage).ConfigureAwait(false);
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        StopRenewing(workItem);
        await inner.AbandonTaskActivityWorkItemAsync(workItem).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var cts in renewals.Values)
        {
            cts.Cancel();
            cts.Dispose();
        }

        renewals.Clear();
    }

    private void StopRenewing(TaskActivityWorkItem workItem)
    {
        if (renewals.TryRemove(workItem, out var cts))
        {
            cts.Cancel();
            cts.Dispose();
        }
    }

    private async Task RenewUntilDoneAsync(TaskActivityWorkItem workItem, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, visibility.Ticks / 3));
        try
        {
            while (true)
            {
                await Task.Delay(period, cancellationToken).ConfigureAwait(false);
                try
                {
                    await inner.RenewTaskActivityWorkItemLockAsync(workItem).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRenewFailed(logger, workItem.Id, ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Could not renew the lock of activity work item {WorkItem} ({Type}: {Message})")]
    private static partial void LogRenewFailed(ILogger logger, string workItem, string type, string message);
}
