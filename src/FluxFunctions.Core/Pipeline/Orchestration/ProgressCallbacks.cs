using System.Text.Json;
using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The progress events (<c>started</c>, <c>inferring</c>) of a job that lists them in <c>callbackEvents</c>: each raised at
/// most once per job, when the job first reaches it, as a signed POST of the job as <c>GET /api/edits/{id}</c> shows it
/// then, plus <c>event</c>. Deliveries run beside the job, one after the other in the order raised, so the job never waits
/// for a receiver; the terminal callback waits for them (<see cref="DrainAsync"/>), so it never overtakes one. Best effort:
/// at most <see cref="MaxAttempts"/> attempts with short back-off; an event still undelivered is dropped and recorded (the
/// job's <c>progressCallbacks</c>), the job goes on. A job that asks for no progress event schedules nothing here.
/// Deterministic: bodies and times come from the orchestration context, deliveries are activities.
/// </summary>
internal sealed partial class ProgressCallbacks(TaskOrchestrationContext context, JobRequest job, ILogger log)
{
    /// <summary>Attempts per progress event (the terminal event keeps <c>Flux__CallbackMaxAttempts</c>).</summary>
    public const int MaxAttempts = 3;

    /// <summary>Longest wait between two attempts of a progress event, a receiver's <c>Retry-After</c> included.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly HashSet<string> raised = new(StringComparer.Ordinal);
    private readonly List<CallbackDelivery> deliveries = [];
    private Task pending = Task.CompletedTask;

    /// <summary>
    /// The job reached <paramref name="stage"/>: raises <c>started</c> (any stage, once the job's options are known) and,
    /// in <see cref="Stages.Inferring"/>, <c>inferring</c> — each only if <paramref name="spec"/> asks for it and only once.
    /// Returns at once; the delivery follows those raised before it.
    /// </summary>
    public void Reached(string stage, EditSpec? spec)
    {
        if (spec is null || stage == Stages.Queued)
        {
            return;
        }

        Raise(CallbackEvents.Started, stage, spec);
        if (stage == Stages.Inferring)
        {
            Raise(CallbackEvents.Inferring, stage, spec);
        }
    }

    /// <summary>Whether any progress event was raised.</summary>
    public bool Any => raised.Count > 0;

    /// <summary>Waits until every progress event raised so far is delivered or dropped; their deliveries, or null when none was raised.</summary>
    public async Task<IReadOnlyList<CallbackDelivery>?> DrainAsync()
    {
        await pending.ConfigureAwait(true);
        return deliveries.Count == 0 ? null : [.. deliveries];
    }

    private void Raise(string callbackEvent, string stage, EditSpec spec)
    {
        if (!spec.Sends(callbackEvent) || spec.CallbackUrl is not { } url || !raised.Add(callbackEvent))
        {
            return;
        }

        var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var status = new EditStatus(job.JobId, spec.Tool.Name(), EditStatuses.Running, stage, job.CreatedAt, now, [], null, Event: callbackEvent);
        var body = JsonSerializer.Serialize(status, EditJson.Options);
        pending = DeliverAfterAsync(pending, callbackEvent, url, body);
    }

    private async Task DeliverAfterAsync(Task previous, string callbackEvent, string url, string body)
    {
        await previous.ConfigureAwait(true);
        var firstDelay = TimeSpan.FromMilliseconds(Math.Min(job.Settings.CallbackRetryDelayMs, MaxDelay.TotalMilliseconds));
        var delivery = await CallbackRetries.DeliverAsync(context, job.JobId, url, $"{job.JobId}.{callbackEvent}", body, callbackEvent, new CallbackPolicy(MaxAttempts, firstDelay, MaxDelay, MaxDelay, CallbackStatuses.Dropped)).ConfigureAwait(true);
        deliveries.Add(delivery);
        LogDelivery(log, job.JobId, callbackEvent, delivery.Url, delivery.Status, delivery.Attempts);
    }

    [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "Job {JobId}: {Event} callback to {Url} {Status} after {Attempts} attempt(s)")]
    private static partial void LogDelivery(ILogger logger, string jobId, string @event, string url, string status, int attempts);
}
