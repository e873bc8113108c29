using System.Text.Json.Serialization;

namespace FluxFunctions.Runware;

/// <summary>One entry of Runware's <c>errors</c> array.</summary>
public sealed record RunwareError(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Parameter = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskType = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskUUID = null);

/// <summary>Whether a submitted inference is new or was already known to Runware.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubmitOutcome>))]
public enum SubmitOutcome
{
    /// <summary>Runware accepted a new task.</summary>
    Accepted,

    /// <summary>Runware already had this taskUUID (a retry); nothing new was submitted.</summary>
    AlreadyKnown,
}

/// <summary>
/// Status of an async task as <c>getResponse</c> reports it. Only an entry for the task is a sign of it: Runware documents
/// <c>getResponse</c> for tasks that exist (each generation <c>processing</c>, <c>success</c> or <c>error</c>,
/// runware.ai/docs/platform/task-polling) and is silent on a taskUUID it does not know, so every other answer is
/// <see cref="Silent"/>, never <see cref="Processing"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PollStatus>))]
public enum PollStatus
{
    /// <summary>At least one generation is still <c>processing</c> (or fewer than expected have finished).</summary>
    [JsonStringEnumMemberName("processing")]
    Processing,

    /// <summary>Every generation succeeded.</summary>
    [JsonStringEnumMemberName("success")]
    Success,

    /// <summary>A generation failed; see <see cref="InferencePoll.Error"/>.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>
    /// No sign of the task: no entry for it, an error saying it is not found, or a refusal naming its taskUUID
    /// (HTTP 200 <c>{"data":[]}</c>, <c>taskNotFound</c>, HTTP 400/404 with another code). Runware may not know it, not
    /// show it yet, or have forgotten it; its docs do not say which answer means what (<see cref="InferencePoll.Evidence"/>).
    /// </summary>
    [JsonStringEnumMemberName("silent")]
    Silent,
}

/// <summary>One generated image.</summary>
public sealed record GeneratedImage(
    string TaskUUID,
    string? ImageUUID,
    string? ImageURL,
    long? Seed,
    double? Cost,
    bool? NSFWContent);

/// <summary>The answer of <c>getResponse</c>.</summary>
/// <param name="Status">What the answer says of the task.</param>
/// <param name="Images">The generations finished so far.</param>
/// <param name="Error">The failed generation's error (<see cref="PollStatus.Error"/>).</param>
/// <param name="Evidence">For <see cref="PollStatus.Silent"/>: what Runware answered, for logs and the failure record.</param>
public sealed record InferencePoll(PollStatus Status, IReadOnlyList<GeneratedImage> Images, RunwareError? Error = null, string? Evidence = null);

/// <summary>
/// Whether Runware shows a task: only a positive sign counts (an entry from <c>getResponse</c>, or the original request
/// from <c>getTaskDetails</c>); any other answer is "not seen", whatever its shape.
/// </summary>
/// <param name="Found">Runware showed the task.</param>
/// <param name="Evidence">Which answer decided it (for logs and the manifest).</param>
public sealed record TaskLookup(bool Found, string Evidence);

/// <summary>The answer of <c>controlNetPreprocess</c>.</summary>
public sealed record PreprocessResult(string GuideImageUUID, string? GuideImageURL, string? InputImageUUID, double? Cost);
