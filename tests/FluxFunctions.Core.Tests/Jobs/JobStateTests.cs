using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Logging.Abstractions;

namespace FluxFunctions.Core.Tests.Jobs;

/// <summary>The one mapping of an orchestration's runtime and custom status to a job's status and stage.</summary>
public sealed class JobStateTests
{
    private static readonly DataConverter Converter = JsonDataConverter.Default;

    [Fact]
    public void Pending_is_queued_and_running_shows_its_progress_stage()
    {
        Assert.Equal(new JobState(EditStatuses.Pending, Stages.Queued), State(OrchestrationRuntimeStatus.Pending));
        Assert.Equal(new JobState(EditStatuses.Running, Stages.Queued), State(OrchestrationRuntimeStatus.Running));
        Assert.Equal(new JobState(EditStatuses.Running, Stages.Inferring), State(OrchestrationRuntimeStatus.Running, progress: new JobProgress(Stages.Inferring)));
        Assert.Equal(new JobState(EditStatuses.Running, Stages.Preparing), State(OrchestrationRuntimeStatus.Suspended, progress: new JobProgress(Stages.Preparing)));
    }

    [Fact]
    public void Completed_takes_the_outcome_of_its_result_and_keeps_the_stage_it_failed_in()
    {
        var done = State(OrchestrationRuntimeStatus.Completed, new JobResult(JobOutcome.Completed, "j", FluxTool.Canny, []));
        Assert.Equal((EditStatuses.Completed, Stages.Completed), (done.Status, done.Stage));
        Assert.NotNull(done.Ended);

        var failed = State(OrchestrationRuntimeStatus.Completed, new JobResult(JobOutcome.Failed, "j", FluxTool.Canny, [], new FluxError(ErrorCodes.MissingCompanion, "m")), new JobProgress(Stages.WaitingForCompanions));
        Assert.Equal((EditStatuses.Failed, Stages.WaitingForCompanions), (failed.Status, failed.Stage));

        var canceled = State(OrchestrationRuntimeStatus.Completed, new JobResult(JobOutcome.Canceled, "j", FluxTool.Canny, [], FailedStage: Stages.Inferring));
        Assert.Equal((EditStatuses.Canceled, Stages.Inferring), (canceled.Status, canceled.Stage));
    }

    [Fact]
    public void A_final_outcome_being_notified_is_already_that_outcome()
    {
        var ended = new JobResult(JobOutcome.Failed, "j", FluxTool.Fill, [], new FluxError(ErrorCodes.InferenceTimeout, "m"), Stages.Inferring);
        var state = State(OrchestrationRuntimeStatus.Running, progress: new JobProgress(Stages.Notifying, Result: ended));
        Assert.Equal((EditStatuses.Failed, Stages.Inferring), (state.Status, state.Stage));
        Assert.Equal((ended.Outcome, ended.Error), (state.Ended?.Outcome, state.Ended?.Error));
    }

    [Fact]
    public void Failed_terminated_and_unreadable_outputs_have_no_outcome()
    {
        Assert.Equal(new JobState(EditStatuses.Failed, Stages.Storing), State(OrchestrationRuntimeStatus.Failed, progress: new JobProgress(Stages.Storing)));
        Assert.Equal(new JobState(EditStatuses.Canceled, Stages.Inferring), State(OrchestrationRuntimeStatus.Terminated, progress: new JobProgress(Stages.Inferring)));
        var unreadable = new OrchestrationMetadata(nameof(EditOrchestrator), "j")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Completed,
            SerializedOutput = "{not json",
            DataConverter = Converter,
        };
        Assert.Equal(new JobState(EditStatuses.Failed, null), EditStatusReader.StateOf(unreadable, null, NullLogger.Instance));
    }

    private static JobState State(OrchestrationRuntimeStatus status, JobResult? output = null, JobProgress? progress = null) =>
        EditStatusReader.StateOf(
            new OrchestrationMetadata(nameof(EditOrchestrator), "j")
            {
                RuntimeStatus = status,
                SerializedOutput = output is null ? null : Converter.Serialize(output),
                SerializedCustomStatus = progress is null ? null : Converter.Serialize(progress),
                DataConverter = Converter,
            },
            null,
            NullLogger.Instance);
}
