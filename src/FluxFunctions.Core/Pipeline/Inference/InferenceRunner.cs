using System.Text.Json.Nodes;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Errors;
using FluxFunctions.Runware;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// One attempt to run an inference, inside an activity (<see cref="Activities.RunInference"/>, or
/// <see cref="Activities.PrepareInputs"/> for each inference's first attempt): take an inference slot (waiting in line a
/// bounded time), submit the task (async delivery), then watch it for its result for a bounded time
/// (<see cref="ResultWatch"/>) unless Runware reports it by webhook. The slot stays taken until the result is first seen,
/// here or later by a durable poll or the webhook (<see cref="InferenceSlots.ReleaseAsync"/>).
/// <para>The first submission of a taskUUID goes straight out. One in doubt looks the task up first
/// (<see cref="IRunwareClient.SubmitInferenceAsync"/>): the job says so when an earlier attempt may have reached Runware,
/// and an activity that starts over <see cref="DoubtAfter"/> after it was scheduled may be a second execution after a crash.</para>
/// </summary>
public sealed class InferenceRunner(IRunwareClient runware, InferenceSlots slots, ResultWatch watch, InferenceTimings timings, RunwareWebhookTokens tokens, IOptions<FluxOptions> options, TimeProvider time)
{
    /// <summary>
    /// A submission that starts this long after the orchestration scheduled it may be a second execution of the same
    /// activity after a crash (the durable engine hands a crashed host's work item out again once its lease runs out, and
    /// an episode that was not committed sends it again), so it looks the task up before submitting. A backlog makes fresh
    /// submissions late too: they only pay the look-up.
    /// </summary>
    public static readonly TimeSpan DoubtAfter = TimeSpan.FromSeconds(5);

    /// <summary>How long an attempt waits in line for a slot before the job is told to come back later.</summary>
    public static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(20);

    private readonly int timeoutMs = (int)Math.Min(int.MaxValue, options.Value.InferenceTimeoutSeconds * 1000L);
    private readonly Lock ticketGate = new();
    private DateTimeOffset nextTicket;

    /// <summary>Busy, rejected, or submitted (with what watching it showed).</summary>
    /// <exception cref="TransientFluxException">Runware or storage failed for now (after the client's own retries); the slot is given back.</exception>
    public async Task<InferenceAttempt> AttemptAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inDoubt = request.InDoubt || time.GetUtcNow() - request.ScheduledAt > DoubtAfter;
        return await RunAsync(request, inDoubt, cancellationToken).ConfigureAwait(false) with { At = time.GetUtcNow(), InDoubt = inDoubt };
    }

    private async Task<InferenceAttempt> RunAsync(InferenceRequest request, bool inDoubt, CancellationToken cancellationToken)
    {
        var claim = await slots.AcquireAsync(request.TaskUuid, request.JobCreatedAt, SlotWait, cancellationToken).ConfigureAwait(false);
        if (!claim.Held)
        {
            // Near the head after its whole wait (the slots went to older jobs, here or on another host): back in about its
            // turn, where its job's age places it in line again, not behind every ticket handed out to a flood.
            return InferenceAttempt.Busy(claim.WaitedOut && claim.Ahead < slots.Capacity ? TurnInMs(claim.Ahead) : ComeBackInMs());
        }

        SubmitOutcome submitted;
        try
        {
            var task = JsonNode.Parse(request.TaskJson)!.AsObject();
            if (request.WebhookBaseUrl is { } webhookBase)
            {
                // Added here, not by the orchestration, so the secret token never enters its history or the manifest.
                task["webhookURL"] = tokens.WebhookUrl(webhookBase, request.JobId, request.TaskUuid).AbsoluteUri;
            }

            submitted = await runware.SubmitInferenceAsync(task, inDoubt, cancellationToken).ConfigureAwait(false);
        }
        catch (PermanentFluxException ex)
        {
            await slots.ReleaseAsync(request.TaskUuid, CancellationToken.None).ConfigureAwait(false);
            return InferenceAttempt.Rejected(ex.First);
        }
        catch
        {
            await slots.ReleaseAsync(request.TaskUuid, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        timings.Submitted(request.TaskUuid);
        var expectedMs = timings.ExpectedMs();
        if (request.WebhookBaseUrl is not null || request.WatchSeconds <= 0)
        {
            return new InferenceAttempt(AttemptStatus.Submitted, submitted, ExpectedMs: expectedMs);
        }

        var watchStarted = time.GetTimestamp();
        Watched watched;
        try
        {
            watched = await watch.WatchAsync(request.TaskUuid, request.ExpectedResults, TimeSpan.FromSeconds(request.WatchSeconds), cancellationToken).ConfigureAwait(false);
        }
        catch (PermanentFluxException ex)
        {
            // Runware will not answer for this task (the account, most likely): the job ends with it.
            await slots.ReleaseAsync(request.TaskUuid, CancellationToken.None).ConfigureAwait(false);
            return new InferenceAttempt(AttemptStatus.Submitted, submitted, PollInferenceResult.Failed(ex.First), ExpectedMs: expectedMs);
        }

        if (watched.Last?.IsFinal == true)
        {
            await slots.ReleaseAsync(request.TaskUuid, CancellationToken.None).ConfigureAwait(false);
        }

        return new InferenceAttempt(AttemptStatus.Submitted, submitted, watched.Last, ExpectedMs: expectedMs, SilentForMs: watched.SilentForMs,
            WatchedMs: (int)time.GetElapsedTime(watchStarted).TotalMilliseconds);
    }

    /// <summary>A slot's worth of time: the expected inference time (at least a second) over the slots.</summary>
    private TimeSpan PerSlot => TimeSpan.FromMilliseconds(Math.Max(1000, timings.ExpectedMs())) / slots.Capacity;

    /// <summary>About when <paramref name="ahead"/> slots more have come free: a slot's worth each.</summary>
    private int TurnInMs(int ahead) => (int)Math.Min(timeoutMs, (PerSlot * (ahead + 1)).TotalMilliseconds);

    /// <summary>
    /// When a submission turned away (every slot taken, the line full) should come back: each one a ticket behind the
    /// last one handed out, a slot's worth of time apart (<see cref="PerSlot"/>), the first about when the line has
    /// drained by half; so the jobs come back one by one as the line has room for them, instead of all at once or all too
    /// late.
    /// </summary>
    private int ComeBackInMs()
    {
        var perSlot = PerSlot;
        var now = time.GetUtcNow();
        lock (ticketGate)
        {
            nextTicket = (nextTicket > now ? nextTicket : now + (perSlot * (slots.LineLength / 2))) + perSlot;
            return (int)Math.Min(timeoutMs, (nextTicket - now).TotalMilliseconds);
        }
    }
}
