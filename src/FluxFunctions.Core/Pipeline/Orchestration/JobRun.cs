using FluxFunctions.Core.Storage;
using FluxFunctions.Requests;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The durable plumbing of one job's orchestration, so that <see cref="EditOrchestrator"/> reads as the job: where it is
/// (stage, detail and time per stage, shown as the custom status), what it learned so far (<see cref="Facts"/>), activity
/// calls with their retries, and waits for an event or a timer; until the job can no longer be canceled, a cancel request
/// ends any call or wait at once (<see cref="JobCanceledException"/>). Rebuilt identically on every replay.
/// </summary>
internal sealed class JobRun
{
    private readonly Dictionary<string, double> timings = new(StringComparer.Ordinal);
    private DateTime stageStarted;

    // The activity call a cancel request interrupted (its activity runs on), until it is resumed (Resume).
    private (string Activity, Task Call)? interrupted;

    public JobRun(TaskOrchestrationContext context, JobRequest job)
    {
        Context = context;
        Job = job;
        Log = context.CreateReplaySafeLogger<EditOrchestrator>();
        Retry = new DurableRetry(job.Settings.ActivityMaxAttempts, job.JobId);
        stageStarted = context.CurrentUtcDateTime;
        Canceled = context.WaitForExternalEvent<string>(EditOrchestrator.CancelEvent);
        Progress = new ProgressCallbacks(context, job, Log);
    }

    public TaskOrchestrationContext Context { get; }

    public JobRequest Job { get; }

    public JobSettings Settings => Job.Settings;

    public ILogger Log { get; }

    /// <summary>Attempts per stage, and the back-off between them.</summary>
    public DurableRetry Retry { get; }

    /// <summary>The progress events the job asked for, raised as it enters stages.</summary>
    public ProgressCallbacks Progress { get; }

    /// <summary>Completes when the job is canceled.</summary>
    public Task Canceled { get; }

    /// <summary>Until the manifest is being written, a cancel request ends the job.</summary>
    public bool Cancelable { get; set; } = true;

    /// <summary>The job is prepared again after a preparing activity may have submitted and stored it (a cancel that lost to it).</summary>
    public bool PrepareInDoubt { get; set; }

    public string Stage { get; private set; } = Stages.Queued;

    public DateTime Now => Context.CurrentUtcDateTime;

    // What the job learned, each set once by the step that learned it.
    public EditSpec? Spec { get; set; }

    public BlobRef? Options { get; set; }

    public IReadOnlyList<BlobRef>? Defaults { get; set; }

    public BlobRef? Mask { get; set; }

    public PreparedInputs? Prepared { get; set; }

    public RunwarePreprocessResult? Guide { get; set; }

    public IReadOnlyList<InferenceOutcome> Inferences { get; set; } = [];

    /// <summary>Inferences submitted and not yet answered: their slots are given back if the job ends early.</summary>
    public SortedSet<string> InFlight { get; } = new(StringComparer.Ordinal);

    /// <summary>Everything learned so far, for the manifest or the failure record.</summary>
    public JobFacts Facts() => new(Job, Spec, Options, Mask, Prepared, Guide, Inferences, TimingsSoFar(), new Dictionary<string, int>(Retry.Attempts), InFlight.Count > 0 ? [.. InFlight] : null, Defaults);

    /// <summary>The stage times and attempts so far, for a manifest an activity writes.</summary>
    public JobSoFar SoFar() => new(TimingsSoFar(), new Dictionary<string, int>(Retry.Attempts, StringComparer.Ordinal), Now);

    /// <summary>Moves to <paramref name="stage"/> (its time starts now), shows it, and raises the progress events it reaches.</summary>
    public void Enter(string stage, string? detail = null)
    {
        var now = Now;
        timings[Stage] = timings.GetValueOrDefault(Stage) + (now - stageStarted).TotalMilliseconds;
        stageStarted = now;
        Stage = stage;
        Show(detail);
        Progress.Reached(stage, Spec);
    }

    /// <summary>
    /// Moves to <paramref name="stage"/> unless the job is in it already (parallel inferences share it). The last
    /// <paramref name="alreadyIn"/> of the stage left counts as the new one's: an activity that went on to it (preparing or
    /// waiting for a slot, then watching the inference) ended in it.
    /// </summary>
    public void EnterOnce(string stage, string? detail = null, TimeSpan alreadyIn = default)
    {
        if (Stage != stage)
        {
            var left = Stage;
            var moved = Now - stageStarted < alreadyIn ? Now - stageStarted : alreadyIn;
            Enter(stage, detail);
            timings[left] -= moved.TotalMilliseconds;
            stageStarted -= moved;
        }
        else if (detail is not null)
        {
            Show(detail);
        }
    }

    /// <summary>Shows the stage with <paramref name="detail"/>.</summary>
    public void Show(string? detail) => Context.SetCustomStatus(new JobProgress(Stage, detail));

    /// <summary>Calls an activity with the durable retry policy (transient failures are thrown by activities, never permanent ones).</summary>
    public Task<T> CallAsync<T>(string activity, object input) =>
        RaceCancelAsync(activity, Resume<T>(activity) ?? Context.CallActivityAsync<T>(activity, input, Retry.For(Stage)));

    /// <summary>
    /// Calls an activity with retries of its own: attempt <c>n</c> (from 1) sends <paramref name="input"/>(n), so an attempt
    /// can know that an earlier one may have done part of the work (a durable retry policy sends the same input again).
    /// </summary>
    public async Task<T> CallAsync<T>(string activity, Func<int, object> input)
    {
        for (var attempt = 1; ; attempt++)
        {
            var call = Resume<T>(activity);
            if (call is null)
            {
                Retry.Count(Stage);
                call = Context.CallActivityAsync<T>(activity, input(attempt));
            }

            try
            {
                return await RaceCancelAsync(activity, call).ConfigureAwait(true);
            }
            catch (TaskFailedException) when (Retry.MayRetry(attempt))
            {
                await WaitAsync<object?>(null, Retry.Delay(attempt)).ConfigureAwait(true);
            }
        }
    }

    /// <summary>
    /// Waits for the external event <paramref name="eventName"/> (none: only the timer) or the timer, whichever comes first,
    /// and cancels the one left behind. The event's payload, or default when the time ran out.
    /// </summary>
    /// <exception cref="JobCanceledException">The job was canceled meanwhile.</exception>
    public async Task<(bool Raised, T? Payload)> WaitAsync<T>(string? eventName, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource();
        var timer = Context.CreateTimer(timeout, cts.Token);
        var received = eventName is null ? null : Context.WaitForExternalEvent<T>(eventName, cts.Token);
        var waits = new List<Task> { timer };
        if (Cancelable)
        {
            waits.Add(Canceled);
        }

        if (received is not null)
        {
            waits.Add(received);
        }

        var first = await Task.WhenAny(waits).ConfigureAwait(true);

        // Synchronous on purpose: an orchestrator must not await anything but durable tasks.
#pragma warning disable CA1849
        cts.Cancel();
#pragma warning restore CA1849
        if (first == Canceled)
        {
            throw new JobCanceledException();
        }

        return first == received ? (true, await received.ConfigureAwait(true)) : (false, default);
    }

    private async Task<T> RaceCancelAsync<T>(string activity, Task<T> call)
    {
        if (Cancelable && await Task.WhenAny(call, Canceled).ConfigureAwait(true) != call)
        {
            interrupted = (activity, call);
            throw new JobCanceledException();
        }

        return await call.ConfigureAwait(true);
    }

    /// <summary>
    /// The call of <paramref name="activity"/> a cancel request interrupted, once (null: none): its activity ran on, so
    /// when the cancel did not stand its outcome is awaited instead of calling the activity again.
    /// </summary>
    private Task<T>? Resume<T>(string activity)
    {
        if (interrupted is not { } call || call.Activity != activity)
        {
            return null;
        }

        interrupted = null;
        return (Task<T>)call.Call;
    }

    private Dictionary<string, double> TimingsSoFar()
    {
        var copy = new Dictionary<string, double>(timings, StringComparer.Ordinal);
        copy[Stage] = copy.GetValueOrDefault(Stage) + (Now - stageStarted).TotalMilliseconds;
        return copy;
    }
}
