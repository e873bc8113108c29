using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Pipeline.Activities;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Runware;
using FluxFunctions.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>
/// The orchestrator's own story on the real durable engine, in memory, with scripted activities standing for storage and
/// Runware: the companion wait, cancel at each stage, permanent and transient inference failures, resubmission, busy slots
/// and a silent task.
/// </summary>
public sealed class EditOrchestratorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task BlobJob_CompanionArrivesLate_WaitsThenCompletes()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Calls.Count(c => c.Activity == nameof(PrepareInputs)) == 1
            ? Waiting("fill/p/x.mask.png")
            : fake.Prepared(input, Done());
        await using var host = await fake.StartAsync();

        var id = await StartAsync(host, Job(JobOrigin.Blob));
        await fake.WaitForAsync(nameof(PrepareInputs), 1);
        await host.Client.RaiseEventAsync(id, EditOrchestrator.CompanionEvent, "fill/p/x.mask.png");
        var result = await ResultAsync(host, id);

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        var prepares = fake.Inputs<PrepareInputsInput>(nameof(PrepareInputs));
        Assert.Equal(2, prepares.Count);
        Assert.All(prepares, p => Assert.False(p.FinalCompanionCheck));
        Assert.Single(fake.Calls, c => c.Activity == nameof(FinishJob));
        Assert.DoesNotContain(fake.Calls, c => c.Activity == nameof(RunInference));
    }

    [Fact]
    public async Task BlobJob_CompanionNeverArrives_LastCheckIsFinalAndTheJobFailsThere()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => input.FinalCompanionCheck
            ? PrepareInputsResult.Failed(new FluxError(ErrorCodes.MissingCompanion, "missing", "fill/p/x.mask.png"), Stages.WaitingForCompanions)
            : Waiting("fill/p/x.mask.png");
        await using var host = await fake.StartAsync();

        var id = await StartAsync(host, Job(JobOrigin.Blob, companionWaitSeconds: 1));
        var result = await ResultAsync(host, id);

        Assert.Equal(JobOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorCodes.MissingCompanion, result.Error!.Code);
        Assert.Equal(Stages.WaitingForCompanions, result.FailedStage);
        Assert.True(fake.Inputs<PrepareInputsInput>(nameof(PrepareInputs))[^1].FinalCompanionCheck);
        Assert.Equal(Stages.WaitingForCompanions, Assert.Single(fake.Inputs<WriteFailureInput>(nameof(WriteFailure))).Stage);
    }

    [Fact]
    public async Task Inference_RejectedByRunware_FailsWithItsErrorInSubmittingWithoutRetries()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, InferenceAttempt.Rejected(new FluxError("invalidPositivePrompt", "No.", "positivePrompt")));
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job()));

        Assert.Equal(JobOutcome.Failed, result.Outcome);
        Assert.Equal("positivePrompt", result.Error!.Parameter);
        Assert.Equal(Stages.Submitting, result.FailedStage);
        Assert.DoesNotContain(fake.Calls, c => c.Activity == nameof(RunInference));
        var failure = Assert.Single(fake.Inputs<WriteFailureInput>(nameof(WriteFailure)));
        Assert.Equal("invalidPositivePrompt", Assert.Single(failure.Facts.Inferences).Result.Error!.Code);
    }

    [Fact]
    public async Task Inference_TransientGenerationFailure_IsSubmittedAgainUnderANewTaskUuid()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, Done(PollInferenceResult.Failed(new FluxError("timeoutProvider", "The provider timed out."))));
        fake.Run = _ => Done();
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job()));

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        var resubmitted = Assert.Single(fake.Inputs<InferenceRequest>(nameof(RunInference)));
        Assert.Equal(RunwareIds.Inference(result.JobId, 0, 1).ToString(), resubmitted.TaskUuid);
        Assert.False(resubmitted.InDoubt);
        var outcome = Assert.Single(Assert.Single(fake.Inputs<FinishJobInput>(nameof(FinishJob))).Facts.Inferences);
        Assert.Equal(1, outcome.Resubmissions);
        Assert.Equal(resubmitted.TaskUuid, outcome.TaskUuid);
    }

    [Fact]
    public async Task Inference_PermanentGenerationFailure_FailsTheJob()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, Done(PollInferenceResult.Failed(new FluxError("inferenceFailed", "The model crashed."))));
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job()));

        Assert.Equal(JobOutcome.Failed, result.Outcome);
        Assert.Equal("inferenceFailed", result.Error!.Code);
        Assert.DoesNotContain(fake.Calls, c => c.Activity == nameof(RunInference));
    }

    [Fact]
    public async Task Inference_AllSlotsTaken_AsksAgainLaterUntilSubmitted()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, InferenceAttempt.Busy(300));
        fake.Run = _ => fake.Calls.Count(c => c.Activity == nameof(RunInference)) < 3 ? InferenceAttempt.Busy(300) : Done();
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job()));

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        var runs = fake.Inputs<InferenceRequest>(nameof(RunInference));
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunwareIds.Inference(result.JobId, 0, 0).ToString(), r.TaskUuid));
        Assert.All(runs, r => Assert.False(r.InDoubt)); // busy: nothing was sent
    }

    [Fact]
    public async Task Inference_BusyAfterAnAttemptInDoubt_StaysInDoubt()
    {
        // A late attempt (a re-run after a crash) found every slot taken: the slot may be held by its own earlier submission.
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, InferenceAttempt.Busy(250) with { InDoubt = true });
        fake.Run = _ => fake.Calls.Count(c => c.Activity == nameof(RunInference)) < 2 ? InferenceAttempt.Busy(250) : Done();
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job()));

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        Assert.Equal([true, true], fake.Inputs<InferenceRequest>(nameof(RunInference)).Select(r => r.InDoubt));
    }

    [Fact]
    public async Task Inference_ActivityFails_NextAttemptIsInDoubt()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, InferenceAttempt.Busy(250));
        fake.Run = _ => fake.Calls.Count(c => c.Activity == nameof(RunInference)) == 1 ? throw new TransientFluxException("Runware went away") : Done();
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job()));

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        Assert.Equal([false, true], fake.Inputs<InferenceRequest>(nameof(RunInference)).Select(r => r.InDoubt));
    }

    [Fact]
    public async Task Inference_NoFirstAttemptFromPreparation_IsSubmittedInDoubt()
    {
        // The preparing activity's attempt failed transiently: it may have reached Runware.
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, null);
        fake.Run = _ => Done();
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job()));

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        Assert.True(Assert.Single(fake.Inputs<InferenceRequest>(nameof(RunInference))).InDoubt);
    }

    [Fact]
    public async Task Inference_SilentTask_IsLookedUpAndSubmittedAgainUnderTheSameTaskUuid()
    {
        var fake = new ScriptedPipeline();
        var silent = new PollInferenceResult(PollStatus.Silent, [], null, "getResponse answered HTTP 200, no entry for the task");
        fake.Prepare = input => fake.Prepared(input, new InferenceAttempt(AttemptStatus.Submitted, SubmitOutcome.Accepted, silent, SilentForMs: 2000));
        fake.Run = _ => Done();
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job(silenceSeconds: 1)));

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        var again = Assert.Single(fake.Inputs<InferenceRequest>(nameof(RunInference)));
        Assert.Equal(RunwareIds.Inference(result.JobId, 0, 0).ToString(), again.TaskUuid);
        Assert.True(again.InDoubt);
        var outcome = Assert.Single(Assert.Single(fake.Inputs<FinishJobInput>(nameof(FinishJob))).Facts.Inferences);
        Assert.Equal(SubmitOutcome.Accepted, outcome.SilenceCheck);
    }

    [Fact]
    public async Task Inference_SilentAgainAfterTheCheck_FailsWithRunwareTaskMissingAndGivesTheSlotBack()
    {
        var fake = new ScriptedPipeline();
        var silent = new PollInferenceResult(PollStatus.Silent, [], null, "taskNotFound: Not found.");
        fake.Prepare = input => fake.Prepared(input, new InferenceAttempt(AttemptStatus.Submitted, SubmitOutcome.Accepted, silent, SilentForMs: 2000));
        fake.Run = _ => new InferenceAttempt(AttemptStatus.Submitted, SubmitOutcome.AlreadyKnown, silent, SilentForMs: 2000);
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job(silenceSeconds: 1)));

        Assert.Equal(JobOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorCodes.RunwareTaskMissing, result.Error!.Code);
        Assert.Contains("looked up", result.Error.Message, StringComparison.Ordinal);
        var failure = Assert.Single(fake.Inputs<WriteFailureInput>(nameof(WriteFailure)));
        Assert.Equal([RunwareIds.Inference(result.JobId, 0, 0).ToString()], failure.Facts.InFlight);
    }

    [Fact]
    public async Task Inference_NotWatched_WaitsOnDurablePollsUntilTheResult()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, new InferenceAttempt(AttemptStatus.Submitted, SubmitOutcome.Accepted, ExpectedMs: 100));
        fake.Poll = _ => fake.Calls.Count(c => c.Activity == nameof(PollInference)) < 2 ? new PollInferenceResult(PollStatus.Processing, [], null) : Success();
        await using var host = await fake.StartAsync();

        var result = await ResultAsync(host, await StartAsync(host, Job()));

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        var outcome = Assert.Single(Assert.Single(fake.Inputs<FinishJobInput>(nameof(FinishJob))).Facts.Inferences);
        Assert.Equal("poll", outcome.Delivery);
        Assert.Equal(2, outcome.Polls);
    }

    [Theory]
    [InlineData(Stages.Preparing)]
    [InlineData(Stages.Inferring)]
    public async Task Cancel_BeforeTheResultsAreStored_EndsCanceledWritingNothingAndGivesSlotsBack(string stage)
    {
        var fake = new ScriptedPipeline();
        var hold = new TaskCompletionSource<PrepareInputsResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.PrepareAsync = input => stage == Stages.Preparing ? hold.Task : Task.FromResult(fake.Prepared(input, new InferenceAttempt(AttemptStatus.Submitted, SubmitOutcome.Accepted, ExpectedMs: 100)));
        fake.Poll = _ => new PollInferenceResult(PollStatus.Processing, [], null);
        await using var host = await fake.StartAsync();

        var id = await StartAsync(host, Job());
        await fake.WaitForAsync(stage == Stages.Preparing ? nameof(PrepareInputs) : nameof(PollInference), 1);
        await host.Client.RaiseEventAsync(id, EditOrchestrator.CancelEvent, "test");

        // The test host runs one activity at a time: let the held one end once the cancel is in.
        await Task.Delay(500);
        hold.TrySetResult(Waiting());
        var result = await ResultAsync(host, id);

        Assert.Equal(JobOutcome.Canceled, result.Outcome);
        Assert.DoesNotContain(fake.Calls, c => c.Activity is nameof(FinishJob) or nameof(WriteFailure));
        var released = Assert.Single(fake.Inputs<ReleaseSlotsInput>(nameof(ReleaseSlots)));
        Assert.Contains(RunwareIds.Inference(id, 0, 0).ToString(), released.TaskUuids);

        // While the preparing activity runs it may store the results itself: the cancel claims the job first.
        Assert.Equal(stage == Stages.Preparing ? 1 : 0, fake.Inputs<ClaimCancelInput>(nameof(ClaimCancel)).Count);
        Assert.Single(fake.Inputs<PrepareInputsInput>(nameof(PrepareInputs)));
    }

    [Fact]
    public async Task PreparingActivitySawAndStoredEveryResult_JobCompletesWithoutAnotherActivity()
    {
        var fake = new ScriptedPipeline();
        fake.Prepare = input => fake.Prepared(input, Done() with { WatchedMs = 150 }) with
        {
            Inferences = [new InferenceOutcome(0, RunwareIds.Inference(input.Job.JobId, 0, 0).ToString(), [], SubmitOutcome.Accepted, 0, 0, Success(), "watch")],
            Finished = new FinishJobResult([new OutputImage(0, "out", "redux/p/x/0.png", 1024, 1024, 7, OutputFormat.PNG, 0.01)], "redux/p/x/manifest.json", null),
        };
        await using var host = await fake.StartAsync();

        var id = await StartAsync(host, Job());
        var result = await ResultAsync(host, id);

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        Assert.Equal("redux/p/x/manifest.json", result.ManifestBlob);
        Assert.Equal("redux/p/x/0.png", Assert.Single(result.Outputs).Blob);
        Assert.Equal([nameof(PrepareInputs)], fake.Calls.Select(c => c.Activity));

        // The activity got what the manifest needs from the orchestration: its stage times and attempts so far.
        var soFar = Assert.Single(fake.Inputs<PrepareInputsInput>(nameof(PrepareInputs))).SoFar;
        Assert.NotNull(soFar);
        Assert.Equal(1, soFar.Attempts[Stages.Preparing]);
        Assert.True(soFar.TimingsMs.ContainsKey(Stages.Queued));
    }

    [Fact]
    public async Task PreparingActivityStoringTheResultsFailed_JobFailsWithItsError()
    {
        var fake = new ScriptedPipeline();
        var error = new FluxError(ErrorCodes.RunwareProtocol, "Runware returned result 0 without an image URL.");
        fake.Prepare = input => fake.Prepared(input, Done()) with { Inferences = [], Finished = new FinishJobResult([], null, error) };
        await using var host = await fake.StartAsync();

        var id = await StartAsync(host, Job());
        var result = await ResultAsync(host, id);

        Assert.Equal(JobOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorCodes.RunwareProtocol, result.Error?.Code);
        Assert.Equal(Stages.Storing, result.FailedStage);
        Assert.Single(fake.Inputs<WriteFailureInput>(nameof(WriteFailure)));
        Assert.DoesNotContain(fake.Calls, c => c.Activity == nameof(FinishJob));
    }

    [Fact]
    public async Task Cancel_AfterThePreparingActivityClaimedTheJob_JobCompletesWithThatActivitysResultNotPreparedAgain()
    {
        var fake = new ScriptedPipeline();

        var result = await CancelLostToTheActivityAsync(fake, failFirst: false);

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        Assert.Equal("redux/p/x/manifest.json", result.ManifestBlob);
        Assert.Single(fake.Inputs<ClaimCancelInput>(nameof(ClaimCancel)));
        Assert.DoesNotContain(fake.Calls, c => c.Activity is nameof(ReleaseSlots) or nameof(WriteFailure) or nameof(FinishJob));
        // The activity that claimed the job is awaited again, not called again (nothing uploaded or looked up twice).
        Assert.Equal([false], fake.Inputs<PrepareInputsInput>(nameof(PrepareInputs)).Select(p => p.InDoubt));
    }

    [Fact]
    public async Task Cancel_AfterThePreparingActivityClaimedTheJobAndThatActivityFails_JobIsPreparedAgainInDoubtAndCompletes()
    {
        var fake = new ScriptedPipeline();

        var result = await CancelLostToTheActivityAsync(fake, failFirst: true);

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        Assert.Equal("redux/p/x/manifest.json", result.ManifestBlob);
        Assert.Equal([false, true], fake.Inputs<PrepareInputsInput>(nameof(PrepareInputs)).Select(p => p.InDoubt));
    }

    /// <summary>
    /// A cancel request while the preparing activity runs, which has claimed the job (the cancel's claim loses); that
    /// activity then stores the results, or with <paramref name="failFirst"/> fails and only an attempt in doubt stores them.
    /// </summary>
    private static async Task<JobResult> CancelLostToTheActivityAsync(ScriptedPipeline fake, bool failFirst)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.PrepareAsync = async input =>
        {
            if (!input.InDoubt)
            {
                await hold.Task;
                if (failFirst)
                {
                    throw new TransientFluxException("storage went away while storing");
                }
            }

            return fake.Prepared(input, Done()) with
            {
                Inferences = [],
                Finished = new FinishJobResult([], "redux/p/x/manifest.json", null),
            };
        };
        fake.ClaimCancel = _ => false;
        await using var host = await fake.StartAsync();

        var id = await StartAsync(host, Job());
        await fake.WaitForAsync(nameof(PrepareInputs), 1);
        await host.Client.RaiseEventAsync(id, EditOrchestrator.CancelEvent, "test");
        await Task.Delay(500);
        hold.TrySetResult();
        return await ResultAsync(host, id);
    }

    [Fact]
    public async Task Cancel_WhileStoring_IsIgnoredAndTheJobCompletes()
    {
        var fake = new ScriptedPipeline();
        var storing = new TaskCompletionSource<FinishJobResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Prepare = input => fake.Prepared(input, Done());
        fake.FinishAsync = _ => storing.Task;
        await using var host = await fake.StartAsync();

        var id = await StartAsync(host, Job());
        await fake.WaitForAsync(nameof(FinishJob), 1);
        await host.Client.RaiseEventAsync(id, EditOrchestrator.CancelEvent, "test");
        await Task.Delay(300);
        storing.SetResult(new FinishJobResult([], "out/manifest.json", null));

        Assert.Equal(JobOutcome.Completed, (await ResultAsync(host, id)).Outcome);
    }

    private static JobRequest Job(JobOrigin origin = JobOrigin.Api, int companionWaitSeconds = 30, int silenceSeconds = 60)
    {
        var spec = new EditSpec { Tool = FluxTool.Redux };
        return new JobRequest
        {
            JobId = JobIds.ForApi(),
            Origin = origin,
            Image = new BlobRef("in", "redux/p/x.png", "\"0x1\""),
            BaseName = "redux/p/x",
            Spec = origin == JobOrigin.Api ? spec : null,
            MaskCompanion = "fill/p/x.mask.png",
            OptionsCompanion = "fill/p/x.json",
            CreatedAt = DateTimeOffset.UnixEpoch,
            Settings = new JobSettings("out", "failed", companionWaitSeconds, 1, 60, 100, 500, 3, "upload", null, TaskSilenceSeconds: silenceSeconds),
        };
    }

    private static PrepareInputsResult Waiting(params string[] missing) => new(null, null, null, null, Waiting: missing);

    private static PollInferenceResult Success() => new(PollStatus.Success, [new GeneratedResult("img", "https://example.invalid/0.png", 7, 0.01)], null);

    private static InferenceAttempt Done(PollInferenceResult? result = null) => new(AttemptStatus.Submitted, SubmitOutcome.Accepted, result ?? Success());

    private static Task<string> StartAsync(DurableTaskTestHost host, JobRequest job) =>
        host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(EditOrchestrator), job, new StartOrchestrationOptions(job.JobId));

    private static async Task<JobResult> ResultAsync(DurableTaskTestHost host, string id)
    {
        using var cts = new CancellationTokenSource(Patience);
        var metadata = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        return metadata.ReadOutputAs<JobResult>()!;
    }

    /// <summary>Activities that answer from scripts and record every call.</summary>
    private sealed class ScriptedPipeline
    {
        public ConcurrentQueue<(string Activity, object Input)> Calls { get; } = new();

        public Func<PrepareInputsInput, PrepareInputsResult>? Prepare { get; set; }

        public Func<PrepareInputsInput, Task<PrepareInputsResult>>? PrepareAsync { get; set; }

        public Func<InferenceRequest, InferenceAttempt> Run { get; set; } = _ => Done();

        public Func<PollInferenceInput, PollInferenceResult> Poll { get; set; } = _ => Success();

        public Func<FinishJobInput, Task<FinishJobResult>> FinishAsync { get; set; } = _ => Task.FromResult(new FinishJobResult([], "out/manifest.json", null));

        public Func<ClaimCancelInput, bool> ClaimCancel { get; set; } = _ => true;

        /// <summary>
        /// The in-process durable host on a free port: left to itself it takes a random port in 30000–40000 without
        /// checking it, which CI saw taken ("address already in use"); should another process take the free one first,
        /// it tries again.
        /// </summary>
        public async Task<DurableTaskTestHost> StartAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await DurableTaskTestHost.StartAsync(Register, new DurableTaskTestHostOptions { Port = FreePort.Next() });
                }
                catch (IOException) when (attempt < 3)
                {
                }
            }
        }

        private void Register(DurableTaskRegistry registry)
        {
            registry.AddOrchestrator<EditOrchestrator>();
            registry.AddActivityFunc<PrepareInputsInput, PrepareInputsResult>(nameof(PrepareInputs), (_, i) => Record(nameof(PrepareInputs), i, () => PrepareAsync?.Invoke(i) ?? Task.FromResult(Prepare!(i))));
            registry.AddActivityFunc<InferenceRequest, InferenceAttempt>(nameof(RunInference), (_, i) => Record(nameof(RunInference), i, () => Task.FromResult(Run(i))));
            registry.AddActivityFunc<PollInferenceInput, PollInferenceResult>(nameof(PollInference), (_, i) => Record(nameof(PollInference), i, () => Task.FromResult(Poll(i))));
            registry.AddActivityFunc<FinishJobInput, FinishJobResult>(nameof(FinishJob), (_, i) => Record(nameof(FinishJob), i, () => FinishAsync(i)));
            registry.AddActivityFunc<WriteFailureInput, string>(nameof(WriteFailure), (_, i) => Record(nameof(WriteFailure), i, () => Task.FromResult("failed/x.json")));
            registry.AddActivityFunc<ReleaseSlotsInput, int>(nameof(ReleaseSlots), (_, i) => Record(nameof(ReleaseSlots), i, () => Task.FromResult(1)));
            registry.AddActivityFunc<ClaimCancelInput, bool>(nameof(ClaimCancel), (_, i) => Record(nameof(ClaimCancel), i, () => Task.FromResult(ClaimCancel(i))));
        }

        /// <summary>A prepared redux job whose one inference's first attempt is <paramref name="attempt"/> (null: none made).</summary>
        public PrepareInputsResult Prepared(PrepareInputsInput input, InferenceAttempt? attempt)
        {
            var seed = new PreparedBlob(new BlobRef("work", "seed.png"), "image/png", 1024, 1024, 1000, false);
            var prepared = new PreparedInputs(seed, null, 1024, 1024, 1024, 1024, [], null, null, null, null, [new TransferredImages("img-seed", null, 1000)]);
            return new PrepareInputsResult(input.Job.Spec ?? new EditSpec { Tool = FluxTool.Redux }, null, null, prepared, attempt is null ? null : [attempt]);
        }

        public List<T> Inputs<T>(string activity) => Calls.Where(c => c.Activity == activity).Select(c => (T)c.Input).ToList();

        public async Task WaitForAsync(string activity, int count)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (Calls.Count(c => c.Activity == activity) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{activity} was not called {count} time(s)");
                await Task.Delay(20);
            }
        }

        private async Task<T> Record<T>(string activity, object input, Func<Task<T>> answer)
        {
            Calls.Enqueue((activity, input));
            return await answer();
        }
    }
}
