using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Core.Requests;
using FluxFunctions.Core.Storage;
using FluxFunctions.Core.Tools;
using FluxFunctions.Core.Webhooks;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// One edit job, top to bottom: wait for companions → prepare → hand the images to Runware → (Runware preprocess) →
/// submit the inference → poll with durable timers (or take Runware's webhook) → store each image → write the manifest
/// last. Any permanent problem ends the job with a failure record instead; a <see cref="CancelEvent"/> ends it as canceled
/// (nothing written). A job with a <c>callbackUrl</c> then notifies it (<see cref="CompletionCallback"/>).
/// Deterministic: every Runware or storage call is an activity; ids come from the orchestration context; logs go
/// through the replay-safe logger.
/// </summary>
public sealed class EditOrchestrator : TaskOrchestrator<JobRequest, JobResult>
{
    /// <summary>External event raised when a companion blob arrives.</summary>
    public const string CompanionEvent = "companion";

    /// <summary>External event raised by <c>DELETE /api/edits/{id}</c>: stop, write nothing, send the callback.</summary>
    public const string CancelEvent = "cancel";

    /// <summary>How often a transiently failed inference is submitted again under a new taskUUID.</summary>
    public const int MaxResubmissions = 2;

    public override async Task<JobResult> RunAsync(TaskOrchestrationContext context, JobRequest job)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(job);
        var run = new JobRun(context, job);
        JobResult result;
        try
        {
            result = await run.ExecuteAsync().ConfigureAwait(true);
        }
        catch (JobCanceledException)
        {
            result = await run.CancelAsync().ConfigureAwait(true);
        }
        catch (TaskFailedException ex)
        {
            // A transient fault outlived its retries (Runware or storage down for too long) or a bug: record it.
            var error = new FluxError(
                ex.FailureDetails.IsCausedBy<TransientFluxException>() ? ErrorCodes.RunwareUnavailable : ErrorCodes.Internal,
                $"The {run.Stage} stage failed after {run.Retry.AttemptsOf(run.Stage)} attempts: {Clip(ex.FailureDetails.ErrorMessage)}");
            result = await run.FailAsync(error).ConfigureAwait(true);
        }

        return await CompletionCallback.NotifyAsync(context, job, run.CallbackUrl, result, run.Log).ConfigureAwait(true);
    }

    private static string Clip(string s) => s.Length <= 500 ? s : s[..500] + "…";

    /// <summary>The state of one execution (rebuilt identically on every replay).</summary>
    private sealed class JobRun
    {
        private readonly TaskOrchestrationContext context;
        private readonly JobRequest job;
        private readonly ILogger log;
        private readonly Dictionary<string, double> timings = new(StringComparer.Ordinal);
        private readonly JsonObject runware = new();
        private DateTime stageStarted;
        private EditSpec? spec;
        private BlobRef? optionsBlob;
        private BlobRef? maskBlob;

        // Inferences submitted and not yet answered (taskUUID → crop): their slots are given back if the job fails.
        private readonly SortedDictionary<string, int> inFlight = new(StringComparer.Ordinal);

        // Completes when the job is canceled; raced against every activity call and wait until the manifest is written.
        private readonly Task<string> cancelRequested;
        private bool cancelable = true;

        public JobRun(TaskOrchestrationContext context, JobRequest job)
        {
            this.context = context;
            this.job = job;
            log = context.CreateReplaySafeLogger<EditOrchestrator>();
            Retry = new DurableRetry(job.Settings.ActivityMaxAttempts);
            stageStarted = context.CurrentUtcDateTime;
            cancelRequested = context.WaitForExternalEvent<string>(CancelEvent);
        }

        public DurableRetry Retry { get; }

        public ILogger Log => log;

        /// <summary>Where the job's completion callback goes, once its options are known.</summary>
        public string? CallbackUrl => spec?.CallbackUrl;

        public string Stage { get; private set; } = Stages.Queued;

        private string OutputPrefix => OutputLayout.OutputPrefix(job.BaseName, job.JobId);

        public async Task<JobResult> ExecuteAsync()
        {
            // 1. Options and mask: given with the request, or companions next to the dropped image.
            if (job.Origin == JobOrigin.Api)
            {
                spec = job.Spec;
                maskBlob = job.Mask;
            }
            else
            {
                var companions = await WaitForCompanionsAsync().ConfigureAwait(true);
                if (companions.Error is not null)
                {
                    return await FailAsync(companions.Error).ConfigureAwait(true);
                }

                spec = companions.Spec;
                maskBlob = companions.Mask;
                optionsBlob = companions.Options;
            }

            if (spec is null)
            {
                return await FailAsync(new FluxError(ErrorCodes.Internal, "The job has no options.")).ConfigureAwait(true);
            }

            // 2. Prepare (size, mask, guide, outpaint canvas — stored as blobs) and hand the images to Runware once (each
            // Fill crop its own seed and mask): imageUpload, or read-only SAS URLs.
            Enter(Stages.Preparing);
            var prepared = await CallAsync<PrepareInputsResult>(nameof(PrepareInputs), new PrepareInputsInput(job.JobId, job.Image, maskBlob, spec, job.Settings.ImageTransfer, job.Settings.WebhookBaseUrl, context.CurrentUtcDateTime)).ConfigureAwait(true);
            if (prepared.Error is not null || prepared.Seed is null)
            {
                return await FailAsync(prepared.Error ?? new FluxError(ErrorCodes.Internal, "Nothing was prepared.")).ConfigureAwait(true);
            }

            var pieces = InferencePieces.Of(prepared);
            var transfers = prepared.Transfers ?? [];
            if (transfers.Count != pieces.Count)
            {
                return await FailAsync(new FluxError(ErrorCodes.Internal, $"{pieces.Count} image(s) were prepared but {transfers.Count} handed to Runware.")).ConfigureAwait(true);
            }

            runware["imageTransfer"] = job.Settings.ImageTransfer;
            runware["bytesSent"] = transfers.Sum(t => t.BytesSent);
            var seedImage = transfers[0].Seed;

            // 3. Canny/Depth guide made by Runware when asked.
            if (InferencePieces.AwaitRunwareGuide(spec))
            {
                Enter(Stages.Preprocessing);
                var guide = await CallAsync<RunwarePreprocessResult>(
                    nameof(RunwarePreprocess),
                    new RunwarePreprocessInput(seedImage, spec.Tool == FluxTool.Depth, prepared.Width, prepared.Height, spec.Preprocess.LowThreshold, spec.Preprocess.HighThreshold)).ConfigureAwait(true);
                if (guide.Error is not null || guide.GuideImage is null)
                {
                    return await FailAsync(guide.Error ?? new FluxError(ErrorCodes.RunwareProtocol, "Runware returned no guide image.")).ConfigureAwait(true);
                }

                runware["preprocessTaskUUID"] = guide.TaskUuid;
                runware["preprocessCost"] = guide.Cost;
                seedImage = guide.GuideImage;
            }

            // 4-5. One inference per piece (Fill crops in parallel): submit (async delivery) when a slot is free, then poll
            // getResponse with durable timers.
            Enter(Stages.Submitting);
            var early = prepared.Submissions is { } s && s.Count == pieces.Count ? s : null;
            var outcomes = await Task.WhenAll(pieces.Select((p, i) => InferAsync(p.Index, spec, new InferenceImages(i == 0 ? seedImage : transfers[i].Seed, transfers[i].Mask), p.Width, p.Height, early?[i]))).ConfigureAwait(true);
            RecordInferences(outcomes);
            if (Array.Find(outcomes, o => o.Result.Error is not null)?.Result.Error is { } inferenceError)
            {
                return await FailAsync(inferenceError).ConfigureAwait(true);
            }

            runware["cost"] = Sum(outcomes.SelectMany(o => o.Result.Images).Select(i => i.Cost)) + ((double?)runware["preprocessCost"] ?? 0);

            // 6. Store each image (Fill: every crop's stitched back into one result per index).
            Enter(Stages.Storing);
            var cropResults = prepared.Crops is null ? null : outcomes.Select(o => new CropResults(o.Crop, o.Result.Images)).ToList();
            var stored = await CallAsync<StoreOutputsResult>(nameof(StoreOutputs), new StoreOutputsInput(job.JobId, OutputPrefix, job.Image, maskBlob, spec, prepared, outcomes[0].Result.Images, cropResults)).ConfigureAwait(true);
            if (stored.Error is not null)
            {
                return await FailAsync(stored.Error).ConfigureAwait(true);
            }

            // 7. The manifest, last: its presence means the job is complete (and it can no longer be canceled).
            cancelable = false;
            Enter(Stages.WritingManifest);
            var manifestBlob = OutputLayout.Manifest(OutputPrefix);
            var manifest = Manifests.Completed(job, spec, prepared, stored, runware, optionsBlob, maskBlob, timings, Retry.Attempts, context.CurrentUtcDateTime);
            FillManifest.AddTo(manifest, spec, prepared, outcomes, stored);
            await CallAsync<bool>(nameof(WriteManifest), new WriteRecordInput(OutputContainer, manifestBlob, manifest.ToJsonString(Manifests.JsonOptions))).ConfigureAwait(true);
            Enter(Stages.Completed);
            SetStatus(Stages.Completed);
            log.LogInformation("Job {JobId} completed: {Count} image(s) under {Prefix}", job.JobId, stored.Outputs.Count, OutputPrefix);
            return new JobResult(JobOutcome.Completed, job.JobId, spec.Tool, stored.Outputs, ManifestBlob: manifestBlob);
        }

        public async Task<JobResult> FailAsync(FluxError error)
        {
            cancelable = false;
            var failedStage = Stage;
            log.LogWarning("Job {JobId} failed in {Stage}: {Code} {Message}", job.JobId, failedStage, error.Code, error.Message);
            foreach (var task in inFlight.Keys.ToList())
            {
                await CallAsync<bool>(nameof(ReleaseInferenceSlot), new ReleaseSlotInput(task)).ConfigureAwait(true);
            }

            if (inFlight.Count > 0 && runware["tasks"] is null)
            {
                runware["inFlightTaskUUIDs"] = new JsonArray(inFlight.Keys.Select(t => (JsonNode?)t).ToArray());
            }

            var blob = OutputLayout.FailureRecord(job.BaseName, job.JobId);
            var record = Manifests.Failure(job, spec, error, failedStage, Retry.Attempts, runware, timings, context.CurrentUtcDateTime);
            await CallAsync<bool>(nameof(WriteFailure), new WriteRecordInput(FailedContainer, blob, record.ToJsonString(Manifests.JsonOptions))).ConfigureAwait(true);
            SetStatus(Stages.Failed, error.Code);
            return new JobResult(JobOutcome.Failed, job.JobId, spec?.Tool ?? job.Tool, [], error, failedStage, FailureBlob: blob);
        }

        /// <summary>Ends the job as canceled: gives the inference slot back, writes nothing.</summary>
        public async Task<JobResult> CancelAsync()
        {
            cancelable = false;
            var canceledStage = Stage;
            log.LogInformation("Job {JobId} canceled in {Stage}", job.JobId, canceledStage);
            foreach (var task in inFlight.Keys.ToList())
            {
                await CallAsync<bool>(nameof(ReleaseInferenceSlot), new ReleaseSlotInput(task)).ConfigureAwait(true);
            }

            SetStatus(canceledStage, "canceled");
            return new JobResult(JobOutcome.Canceled, job.JobId, spec?.Tool ?? job.Tool, [], EditStatusReader.CanceledError, canceledStage);
        }

        private string OutputContainer => job.Settings.OutputContainer;

        private string FailedContainer => job.Settings.FailedContainer;

        private async Task<CompanionsResult> WaitForCompanionsAsync()
        {
            Enter(Stages.WaitingForCompanions);
            var started = context.CurrentUtcDateTime;
            var deadline = started.AddSeconds(job.Settings.CompanionWaitSeconds);
            var optionalDeadline = started.AddSeconds(Math.Min(job.Settings.OptionalCompanionWaitSeconds, job.Settings.CompanionWaitSeconds));
            while (true)
            {
                var now = context.CurrentUtcDateTime;
                var result = await CallAsync<CompanionsResult>(nameof(ResolveCompanions), new ResolveCompanionsInput(job, Final: now >= deadline)).ConfigureAwait(true);
                if (result.Error is not null || result.Ready)
                {
                    return result;
                }

                if (result.Waiting.Count == 0 && result.OptionalPending && now >= optionalDeadline)
                {
                    return await CallAsync<CompanionsResult>(nameof(ResolveCompanions), new ResolveCompanionsInput(job, Final: true)).ConfigureAwait(true);
                }

                SetStatus(Stages.WaitingForCompanions, result.Waiting.Count > 0 ? "waiting for " + string.Join(", ", result.Waiting) : "waiting briefly for optional options");
                var until = result.Waiting.Count > 0 ? deadline : optionalDeadline;
                var wait = until - now;
                if (wait > TimeSpan.FromSeconds(5))
                {
                    wait = TimeSpan.FromSeconds(5);
                }

                if (wait < TimeSpan.FromMilliseconds(200))
                {
                    wait = TimeSpan.FromMilliseconds(200);
                }

                // A companion trigger raises the event at once; the timer is the fallback if the event is missed.
                await EventOrTimerAsync<object?>(CompanionEvent, wait).ConfigureAwait(true);
            }
        }

        /// <summary>
        /// One Runware inference (one Fill crop, or the job's only one): build the task, submit it once a slot is free,
        /// wait for its result. A generation that fails for a reason Runware calls transient (e.g. a provider timeout) is
        /// submitted again under a new taskUUID, at most <see cref="MaxResubmissions"/> times; everything else is final.
        /// Returns what happened instead of recording it, so several can run side by side.
        /// </summary>
        /// <param name="early">The outcome of the first submission when <see cref="PrepareInputs"/> already made it.</param>
        private async Task<InferenceOutcome> InferAsync(int crop, EditSpec spec, InferenceImages images, int width, int height, SubmitInferenceResult? early)
        {
            for (var submission = 0; ; submission++)
            {
                EnterOnce(Stages.Submitting);
                var taskUuid = RunwareIds.Inference(job.JobId, crop, submission).ToString();
                var task = RunwareTaskBuilder.BuildInference(spec, images, Guid.Parse(taskUuid), width, height);
                if (job.Settings.WebhookBaseUrl is { } webhookBase)
                {
                    runware["webhook"] = RunwareWebhookTokens.DisplayUrl(webhookBase, job.JobId);
                }

                inFlight[taskUuid] = crop;
                var input = new SubmitInferenceInput(job.JobId, taskUuid, task.ToJsonString(), job.Settings.WebhookBaseUrl, spec.NumberResults,
                    InDoubt: submission == 0 && early is null && !InferencePieces.AwaitRunwareGuide(spec));
                var submitted = await SubmitWhenFreeAsync(input, submission == 0 ? early : null).ConfigureAwait(true);
                if (submitted.Status == SubmitStatus.Rejected)
                {
                    inFlight.Remove(taskUuid);
                    var rejected = PollInferenceResult.Failed(submitted.Error ?? new FluxError(ErrorCodes.RunwareProtocol, "Runware rejected the inference."));
                    return new InferenceOutcome(crop, taskUuid, task, null, 0, submission, rejected);
                }

                EnterOnce(Stages.Inferring);
                var (poll, polls) = await PollAsync(taskUuid, spec.NumberResults, submitted.ExpectedMs, crop, submitted.Watched).ConfigureAwait(true);
                string? recheck = null;
                if (poll.Status == Runware.PollStatus.Silent)
                {
                    // No sign of the task for Flux__TaskSilenceSeconds: look it up (getResponse, getTaskDetails) and submit it
                    // again under the same taskUUID when Runware does not show it; silent as long again, it is missing.
                    log.LogWarning("Job {JobId}: inference {Task} showed no sign of life for {Seconds} s ({Evidence}); looking it up", job.JobId, taskUuid, job.Settings.TaskSilenceSeconds, poll.Evidence);
                    EnterOnce(Stages.Submitting);
                    var again = await SubmitWhenFreeAsync(input with { InDoubt = true }, null).ConfigureAwait(true);
                    recheck = again.Status.ToString();
                    if (again.Status == SubmitStatus.Rejected)
                    {
                        inFlight.Remove(taskUuid);
                        return new InferenceOutcome(crop, taskUuid, task, submitted.Status.ToString(), polls, submission, PollInferenceResult.Failed(again.Error ?? new FluxError(ErrorCodes.RunwareProtocol, "Runware rejected the inference.")), recheck);
                    }

                    EnterOnce(Stages.Inferring);
                    var (late, more) = await PollAsync(taskUuid, spec.NumberResults, again.ExpectedMs, crop, again.Watched).ConfigureAwait(true);
                    polls += more;
                    poll = late.Status == Runware.PollStatus.Silent ? PollInferenceResult.Failed(Missing(taskUuid, again.Status, late.Evidence)) : late;
                }

                inFlight.Remove(taskUuid);
                if (poll.Error is { } error && submission < MaxResubmissions && Runware.RunwareErrorCodes.IsTransient(error.Code))
                {
                    log.LogWarning("Job {JobId}: inference {Task} failed with {Code}; submitting it again", job.JobId, taskUuid, error.Code);
                    continue;
                }

                return new InferenceOutcome(crop, taskUuid, task, submitted.Status.ToString(), polls, submission, poll, recheck);
            }
        }

        /// <summary>
        /// Submits the inference once a slot is free (<paramref name="early"/>: the outcome of the submission
        /// <see cref="PrepareInputs"/> already made): asks again while every slot is taken, until it is accepted, known
        /// or rejected.
        /// </summary>
        private async Task<SubmitInferenceResult> SubmitWhenFreeAsync(SubmitInferenceInput input, SubmitInferenceResult? early)
        {
            for (var busy = 0; ; busy++)
            {
                SubmitInferenceResult submitted;
                if (busy == 0 && early is not null)
                {
                    Retry.Count(Stages.Submitting);
                    submitted = early;
                }
                else
                {
                    submitted = await CallSubmitAsync(input with { ScheduledAt = context.CurrentUtcDateTime }).ConfigureAwait(true);
                }

                if (submitted.Status != SubmitStatus.Busy)
                {
                    return submitted;
                }

                // Queued: the host may submit it on the job's behalf before the job asks again.
                input = input with { InDoubt = input.InDoubt || submitted.Queued };

                SetStatus(Stages.Submitting, submitted.Queued ? "queued for a free inference slot" : "waiting for a free inference slot");
                if (await WaitForSlotAsync(input.TaskUuid, submitted, busy).ConfigureAwait(true) is { } handedOff)
                {
                    return handedOff;
                }
            }
        }

        /// <summary>
        /// One call of <see cref="SubmitInference"/> with its own retries: an attempt that failed may have reached Runware
        /// before its answer was lost, so every further attempt is <see cref="SubmitInferenceInput.InDoubt"/> and looks the
        /// task up before it submits (a durable retry policy would send the same input again).
        /// </summary>
        private async Task<SubmitInferenceResult> CallSubmitAsync(SubmitInferenceInput input)
        {
            for (var attempt = 1; ; attempt++)
            {
                Retry.Count(Stage);
                try
                {
                    return await CallAsync<SubmitInferenceResult>(nameof(SubmitInference), attempt == 1 ? input : input with { InDoubt = true }, retry: false).ConfigureAwait(true);
                }
                catch (TaskFailedException) when (Retry.MayRetry(attempt))
                {
                    var (first, _) = await EventOrTimerAsync<object?>(null, Retry.Delay(attempt), cancelRequested).ConfigureAwait(true);
                    if (first == cancelRequested)
                    {
                        throw new JobCanceledException();
                    }
                }
            }
        }

        private FluxError Missing(string taskUuid, SubmitStatus recheck, string? evidence) => new(
            ErrorCodes.RunwareTaskMissing,
            $"Runware showed no sign of inference task {taskUuid} for {job.Settings.TaskSilenceSeconds} s after it was submitted, nor for as long after it was "
            + (recheck == SubmitStatus.Accepted ? "submitted again under the same taskUUID" : "looked up (Runware said it knows the task)")
            + $"; the last answer: {evidence ?? "none"}. Runware may have dropped the task: start the job again (drop the image again or repeat the request).");

        /// <summary>
        /// Every inference slot is taken. Queued on the host: it submits the inference on the job's behalf when a slot is
        /// free and raises <see cref="InferenceSlots.EventName"/> with the outcome, returned here (null when the host could
        /// not submit it: the job submits it itself). One wait for that event, with a fallback timer (the estimated wait
        /// plus <c>Runware__WebhookFallbackSeconds</c>) in case it is lost. Otherwise back off, 250 ms doubling to 4 s: a
        /// backlog of hundreds of jobs must not flood the task hub with activity calls and timers, nor grow each job's
        /// history without bound. A cancel request ends either wait.
        /// </summary>
        private async Task<SubmitInferenceResult?> WaitForSlotAsync(string taskUuid, SubmitInferenceResult busy, int attempt)
        {
            var (first, handedOff) = busy.Queued
                ? await EventOrTimerAsync<SubmitInferenceResult?>(InferenceSlots.EventName(taskUuid), TimeSpan.FromSeconds(job.Settings.WebhookFallbackSeconds) + TimeSpan.FromMilliseconds(busy.QueueWaitMs), cancelRequested).ConfigureAwait(true)
                : await EventOrTimerAsync<SubmitInferenceResult?>(null, TimeSpan.FromMilliseconds(250 << Math.Min(attempt, 4)), cancelRequested).ConfigureAwait(true);
            if (first == cancelRequested)
            {
                throw new JobCanceledException();
            }

            return handedOff is { Status: not SubmitStatus.Busy } ? handedOff : null;
        }

        /// <summary>
        /// Waits for the external event <paramref name="eventName"/> (none: only the timer), the timer, or
        /// <paramref name="also"/>, whichever comes first, and cancels the timer and the event waiter left behind. Returns the
        /// task that came first and, when it was the event, its payload.
        /// </summary>
        private async Task<(Task First, T? Payload)> EventOrTimerAsync<T>(string? eventName, TimeSpan timeout, Task? also = null)
        {
            using var cts = new CancellationTokenSource();
            var waits = new List<Task> { context.CreateTimer(timeout, cts.Token) };
            var received = eventName is null ? null : context.WaitForExternalEvent<T>(eventName, cts.Token);
            if (received is not null)
            {
                waits.Add(received);
            }

            if (also is not null)
            {
                waits.Add(also);
            }

            var first = await Task.WhenAny(waits).ConfigureAwait(true);

            // Synchronous on purpose: an orchestrator must not await anything but durable tasks.
#pragma warning disable CA1849
            cts.Cancel();
#pragma warning restore CA1849
            return (first, first == received ? await received.ConfigureAwait(true) : default);
        }

        private async Task<(PollInferenceResult Result, int Polls)> PollAsync(string taskUuid, int expected, int expectedMs, int crop, bool watched)
        {
            var deadline = context.CurrentUtcDateTime.AddSeconds(job.Settings.InferenceTimeoutSeconds);
            var initial = TimeSpan.FromMilliseconds(job.Settings.PollInitialDelayMs);
            var maxDelay = TimeSpan.FromMilliseconds(job.Settings.PollMaxDelayMs);

            // First poll when the result is likely ready (learned from recent inferences), never sooner than the initial delay.
            var delay = TimeSpan.FromMilliseconds(Math.Max(job.Settings.PollInitialDelayMs, Math.Min(expectedMs, job.Settings.PollMaxDelayMs * 4)));
            var polls = 0;
            var webhooks = job.Settings.WebhookBaseUrl is not null;
            var pushedResults = webhooks || watched;
            var wait = new InferenceWait(context, cancelRequested, taskUuid, expected, pushedResults);
            var lastSign = context.CurrentUtcDateTime;
            while (true)
            {
                // Webhooks on, or the host watching the task: Runware's post (or the watcher's event) ends the wait at once;
                // polling is only the fallback when none came in time.
                var pushed = await wait.WaitAsync(pushedResults ? WebhookFallback(delay, deadline) : delay).ConfigureAwait(true);
                if (pushed is not null)
                {
                    runware["resultDelivery"] = wait.Via ?? "webhook";
                    return (pushed, polls);
                }

                var final = context.CurrentUtcDateTime >= deadline;
                var poll = await CallAsync<PollInferenceResult>(nameof(PollInference), new PollInferenceInput(taskUuid, expected, final)).ConfigureAwait(true);
                polls++;
                if (poll.Status == Runware.PollStatus.Processing)
                {
                    lastSign = context.CurrentUtcDateTime;
                }
                else if (poll.Status == Runware.PollStatus.Silent && context.CurrentUtcDateTime - lastSign >= TimeSpan.FromSeconds(job.Settings.TaskSilenceSeconds))
                {
                    return (poll, polls);
                }

                if (poll.IsFinal)
                {
                    runware["resultDelivery"] = "poll";
                    if (pushedResults)
                    {
                        log.LogWarning("Job {JobId}: the {Push} result of task {Task} did not arrive within {Seconds} s; it came from polling", job.JobId, webhooks ? "webhook" : "watcher", taskUuid, job.Settings.WebhookFallbackSeconds);
                    }

                    return (poll, polls);
                }

                if (final)
                {
                    return (PollInferenceResult.Failed(new FluxError(ErrorCodes.InferenceTimeout, $"Runware did not finish task {taskUuid} within {job.Settings.InferenceTimeoutSeconds} s.")), polls);
                }

                SetStatus(Stages.Inferring, crop == 0 && inFlight.Count <= 1 ? $"poll {polls}" : $"crop {crop}: poll {polls}");

                // Back-off starting at the initial delay: three polls at it, then ×1.5 each time up to the maximum.
                delay = polls < 3 ? initial : TimeSpan.FromMilliseconds(Math.Min(maxDelay.TotalMilliseconds, Math.Max(initial.TotalMilliseconds, delay.TotalMilliseconds) * 1.5));
            }
        }

        /// <summary>
        /// The inferences in the manifest: <c>runware.tasks</c> lists every one; the first's model, taskUUID, request,
        /// submission and polls stay at <c>runware.*</c> as for a single inference.
        /// </summary>
        private void RecordInferences(IReadOnlyList<InferenceOutcome> outcomes)
        {
            var first = outcomes[0];
            runware["model"] = first.Model;
            runware["inferenceTaskUUID"] = first.TaskUuid;
            runware["request"] = first.Request.DeepClone();
            if (first.Submitted is not null)
            {
                runware["submitted"] = first.Submitted;
            }

            if (first.Polls > 0)
            {
                runware["polls"] = first.Polls;
            }

            if (outcomes.Sum(o => o.Resubmissions) is var resubmissions and > 0)
            {
                runware["resubmissions"] = resubmissions;
            }

            runware["tasks"] = new JsonArray(outcomes.Select(o => (JsonNode?)o.ToJson()).ToArray());
        }


        /// <summary>With webhooks: wait for Runware's post this long before a fallback poll (never past the deadline).</summary>
        private TimeSpan WebhookFallback(TimeSpan delay, DateTime deadline)
        {
            var fallback = TimeSpan.FromSeconds(job.Settings.WebhookFallbackSeconds);
            var wait = delay > fallback ? delay : fallback;
            var left = deadline - context.CurrentUtcDateTime;
            var floor = TimeSpan.FromMilliseconds(job.Settings.PollInitialDelayMs);
            return wait < left ? wait : (left > floor ? left : floor);
        }

        /// <summary>Calls an activity with the durable retry policy; until the manifest is written a cancel request wins.</summary>
        private async Task<T> CallAsync<T>(string activity, object input, bool retry = true)
        {
            var call = context.CallActivityAsync<T>(activity, input, retry ? Retry.For(Stage) : null);
            if (cancelable && await Task.WhenAny(call, cancelRequested).ConfigureAwait(true) != call)
            {
                throw new JobCanceledException();
            }

            return await call.ConfigureAwait(true);
        }

        private void Enter(string stage)
        {
            var now = context.CurrentUtcDateTime;
            timings[Stage] = timings.GetValueOrDefault(Stage) + (now - stageStarted).TotalMilliseconds;
            stageStarted = now;
            Stage = stage;
            if (stage is not Stages.Completed)
            {
                SetStatus(stage);
            }
        }

        /// <summary>Enters a stage unless the job is in it already (parallel inferences share the stage).</summary>
        private void EnterOnce(string stage)
        {
            if (Stage != stage)
            {
                Enter(stage);
            }
        }

        private void SetStatus(string stage, string? detail = null) =>
            context.SetCustomStatus(new JobProgress(stage, detail));

        private static double? Sum(IEnumerable<double?> values)
        {
            double? total = null;
            foreach (var v in values)
            {
                if (v is { } d)
                {
                    total = (total ?? 0) + d;
                }
            }

            return total;
        }
    }
}
