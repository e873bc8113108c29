using System.Text.Json.Serialization;

namespace FluxFunctions.Core.Runware;

/// <summary>One entry of Runware's <c>errors</c> array.</summary>
public sealed record RunwareError(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Parameter = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskType = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskUUID = null);

/// <summary>Whether a submitted inference is new or was already known to Runware.</summary>
public enum SubmitOutcome
{
    /// <summary>Runware accepted a new task.</summary>
    Accepted,

    /// <summary>Runware already had this taskUUID (a retry); nothing new was submitted.</summary>
    AlreadyKnown,
}

/// <summary>Status of an async task as <c>getResponse</c> reports it.</summary>
public enum PollStatus
{
    /// <summary>Still running (or not all generations finished).</summary>
    Processing,

    /// <summary>Every generation succeeded.</summary>
    Success,

    /// <summary>A generation failed; see <see cref="InferencePoll.Error"/>.</summary>
    Error,

    /// <summary>Runware does not know the taskUUID.</summary>
    Unknown,
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
public sealed record InferencePoll(PollStatus Status, IReadOnlyList<GeneratedImage> Images, RunwareError? Error = null);

/// <summary>The answer of <c>controlNetPreprocess</c>.</summary>
public sealed record PreprocessResult(string GuideImageUUID, string? GuideImageURL, string? InputImageUUID, double? Cost);
