using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluxFunctions.Core.Telemetry;
using FluxFunctions.Errors;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>One Runware inference to submit and watch (<see cref="InferenceRunner"/>): the exact task JSON, as the manifest records it.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Tool">The tool's name (for traces).</param>
/// <param name="TaskUuid">The task's UUID, derived from the job (<see cref="RunwareIds.Inference"/>).</param>
/// <param name="TaskJson">The <c>imageInference</c> task, without its <c>webhookURL</c>.</param>
/// <param name="ExpectedResults">Generations the task makes.</param>
/// <param name="WebhookBaseUrl">When set, the task gets its <c>webhookURL</c> (with its secret token) under it, and is not watched.</param>
/// <param name="WatchSeconds">How long to watch the task for its result after submitting it (0: not at all).</param>
/// <param name="InDoubt">An earlier submission of this taskUUID may have reached Runware (a retried activity, a task that
/// went silent): look it up before submitting (<see cref="IRunwareClient.SubmitInferenceAsync"/>).</param>
/// <param name="ScheduledAt">When the orchestration scheduled the call: an activity that starts much later may be a second
/// execution after a crash (<see cref="InferenceRunner.DoubtAfter"/>), so it is in doubt too.</param>
/// <param name="JobCreatedAt">When the job was created: its place in a host's line for an inference slot (oldest job first).</param>
public sealed record InferenceRequest(
    string JobId,
    string Tool,
    string TaskUuid,
    string TaskJson,
    int ExpectedResults,
    string? WebhookBaseUrl,
    int WatchSeconds,
    bool InDoubt = false,
    DateTimeOffset? ScheduledAt = null,
    DateTimeOffset? JobCreatedAt = null) : ITracedInput
{
    [JsonIgnore]
    public StageTags Tags => new(JobId, Tool, (string?)JsonNode.Parse(TaskJson)?["model"], TaskUuid);
}

/// <summary>What became of one attempt to run an inference.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AttemptStatus>))]
public enum AttemptStatus
{
    /// <summary>Every inference slot is taken: nothing was sent; try again after <see cref="InferenceAttempt.RetryAfterMs"/>.</summary>
    [JsonStringEnumMemberName("busy")]
    Busy,

    /// <summary>Runware refused the task for good (<see cref="InferenceAttempt.Error"/>).</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>Runware has the task; <see cref="InferenceAttempt.Result"/> is what watching it showed (null: not watched).</summary>
    [JsonStringEnumMemberName("submitted")]
    Submitted,
}

/// <summary>One attempt to run an inference: its slot, its submission and what watching it showed.</summary>
/// <param name="Status">Busy, rejected or submitted.</param>
/// <param name="Submitted">Submitted: whether Runware took it now or already had it.</param>
/// <param name="Result">Submitted and watched: the last answer (final, processing or silent).</param>
/// <param name="Error">Rejected: why.</param>
/// <param name="RetryAfterMs">Busy: about when a slot is free.</param>
/// <param name="ExpectedMs">Submitted: when a first poll is likely to find the result (learned on this host).</param>
/// <param name="SilentForMs">Submitted and watched: how long the task had shown no sign of life at the end.</param>
/// <param name="At">When the attempt ended (the activity's clock): the next attempt is due from then, a value the
/// orchestration's history keeps even when an episode runs again after a crash.</param>
/// <param name="WatchedMs">How long the attempt watched the task (its share of the time spent inferring).</param>
/// <param name="InDoubt">The attempt was in doubt (an earlier submission may have reached Runware): so is the next one of
/// the same task, even when this one only found every slot taken.</param>
public sealed record InferenceAttempt(
    AttemptStatus Status,
    SubmitOutcome? Submitted = null,
    PollInferenceResult? Result = null,
    FluxError? Error = null,
    int RetryAfterMs = 0,
    int ExpectedMs = 0,
    int SilentForMs = 0,
    DateTimeOffset? At = null,
    bool InDoubt = false,
    int WatchedMs = 0) : ITracedOutput
{
    /// <summary>No slot now.</summary>
    public static InferenceAttempt Busy(int retryAfterMs) => new(AttemptStatus.Busy, RetryAfterMs: retryAfterMs);

    /// <summary>Refused for good.</summary>
    public static InferenceAttempt Rejected(FluxError error) => new(AttemptStatus.Rejected, Error: error);

    /// <summary>The attempt ended with the task's outcome.</summary>
    [JsonIgnore]
    public bool Finished => Result?.IsFinal == true;
}

/// <summary>Input of <see cref="Activities.PollInference"/>.</summary>
/// <param name="Final">The last poll before the job gives up on the task.</param>
/// <param name="WatchSeconds">How long to keep polling in process while the result is not in (0: one <c>getResponse</c>).</param>
public sealed record PollInferenceInput(string JobId, string TaskUuid, int ExpectedResults, bool Final, int WatchSeconds = 0) : ITracedInput
{
    [JsonIgnore]
    public StageTags Tags => new(JobId, TaskUuid: TaskUuid);
}

/// <summary>Output of <see cref="Activities.PollInference"/>: one <c>getResponse</c> answer as the job sees it.</summary>
/// <param name="Status">What Runware's answer says of the task.</param>
/// <param name="Images">The generations, on success.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Evidence">For <see cref="PollStatus.Silent"/>: what Runware answered.</param>
public sealed record PollInferenceResult(PollStatus Status, IReadOnlyList<GeneratedResult> Images, FluxError? Error, string? Evidence = null) : ITracedOutput
{
    /// <summary>A failure with <paramref name="error"/>.</summary>
    public static PollInferenceResult Failed(FluxError error) => new(PollStatus.Error, [], error);

    /// <summary>The task is finished: succeeded or failed.</summary>
    [JsonIgnore]
    public bool IsFinal => Status is PollStatus.Success or PollStatus.Error;
}

/// <summary>One image Runware generated.</summary>
/// <param name="Flagged">Runware's <c>NSFWContent</c> was true: its safety check flagged the image (only sent when the task carried <c>safety</c>).</param>
public sealed record GeneratedResult(string? ImageUUID, string? ImageURL, long? Seed, double? Cost, bool Flagged = false);

/// <summary>Input of <see cref="Activities.ReleaseSlots"/>: the inferences of a canceled job that still hold slots.</summary>
public sealed record ReleaseSlotsInput(string JobId, IReadOnlyList<string> TaskUuids) : ITracedInput
{
    [JsonIgnore]
    public StageTags Tags => new(JobId);
}

/// <summary>Input of <see cref="Activities.ClaimCancel"/>: a job canceled while its inputs were being prepared.</summary>
public sealed record ClaimCancelInput(string JobId) : ITracedInput
{
    [JsonIgnore]
    public StageTags Tags => new(JobId);
}
