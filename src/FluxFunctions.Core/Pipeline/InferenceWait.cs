using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Webhooks;
using Microsoft.DurableTask;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The orchestration's wait between <c>getResponse</c> polls of one inference. With Runware webhooks on, it also listens
/// for <see cref="RunwareWebhookEvent"/>s of the task, collects their generations by imageUUID (a duplicate delivery is
/// ignored) and ends the wait as soon as every generation is in or an error came; the timer is then only the fallback
/// that sends the orchestration back to polling. A cancel request ends any wait at once. Deterministic: one event waiter
/// stays open across waits, so a post that arrives while a fallback poll runs is not lost.
/// </summary>
internal sealed class InferenceWait
{
    private readonly TaskOrchestrationContext context;
    private readonly Task cancel;
    private readonly string? eventName;
    private readonly int expected;
    private readonly Dictionary<string, GeneratedResult> received = new(StringComparer.Ordinal);
    private Task<RunwareWebhookEvent>? pending;

    /// <param name="context">The orchestration.</param>
    /// <param name="cancel">Completes when the job is canceled.</param>
    /// <param name="taskUuid">The inference task.</param>
    /// <param name="expected">Generations to wait for.</param>
    /// <param name="webhooks">Whether Runware reports this task by webhook.</param>
    public InferenceWait(TaskOrchestrationContext context, Task cancel, string taskUuid, int expected, bool webhooks)
    {
        this.context = context;
        this.cancel = cancel;
        this.expected = Math.Max(1, expected);
        eventName = webhooks ? RunwareWebhookEvent.Name(taskUuid) : null;
    }

    /// <summary>Generations received by webhook so far.</summary>
    public int Received => received.Count;

    /// <summary>Who raised the last event taken (<see cref="RunwareWebhookEvent.Via"/>), or null.</summary>
    public string? Via { get; private set; }

    /// <summary>
    /// Waits up to <paramref name="timeout"/>: the result when webhooks completed it, null when the time is up. Throws
    /// <see cref="JobCanceledException"/> when the job is canceled meanwhile.
    /// </summary>
    public async Task<PollInferenceResult?> WaitAsync(TimeSpan timeout)
    {
        var until = context.CurrentUtcDateTime + timeout;
        while (true)
        {
            var left = until - context.CurrentUtcDateTime;
            using var cts = new CancellationTokenSource();
            var timer = context.CreateTimer(left > TimeSpan.Zero ? left : TimeSpan.Zero, cts.Token);
            if (eventName is not null)
            {
                pending ??= context.WaitForExternalEvent<RunwareWebhookEvent>(eventName);
            }

            var first = pending is null
                ? await Task.WhenAny(timer, cancel).ConfigureAwait(true)
                : await Task.WhenAny(timer, cancel, pending).ConfigureAwait(true);
            if (first != timer)
            {
                // Synchronous on purpose: an orchestrator must not await anything but durable tasks.
#pragma warning disable CA1849
                cts.Cancel();
#pragma warning restore CA1849
            }

            if (first == cancel)
            {
                throw new JobCanceledException();
            }

            if (first == timer || pending is null)
            {
                return null;
            }

            var posted = await pending.ConfigureAwait(true);
            pending = null;
            Via = posted.Via;
            if (posted.Error is { } error)
            {
                return PollInferenceResult.Failed(error);
            }

            foreach (var image in posted.Images)
            {
                received.TryAdd(image.ImageUUID ?? image.ImageURL ?? $"#{received.Count}", image);
            }

            if (received.Count >= expected)
            {
                var images = received.OrderBy(r => r.Value.Seed ?? long.MaxValue).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value).ToList();
                return new PollInferenceResult(PollStatus.Success, images, null);
            }
        }
    }
}
