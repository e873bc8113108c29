using System.Text.Json.Serialization;
using FluxFunctions.Core.Storage;
using FluxFunctions.Requests;

namespace FluxFunctions.Core.Pipeline;

/// <summary>Where a job came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobOrigin>))]
public enum JobOrigin
{
    /// <summary>An image dropped into the input container.</summary>
    Blob,

    /// <summary><c>POST /api/edits</c>.</summary>
    Api,
}

/// <summary>
/// The orchestration's input: references, never image bytes. Settings the orchestration needs are captured here when the
/// job starts, so replays are deterministic and both hosts behave the same.
/// </summary>
public sealed record JobRequest
{
    public required string JobId { get; init; }

    public required JobOrigin Origin { get; init; }

    /// <summary>The input image, pinned to the version the job was started for.</summary>
    public required BlobRef Image { get; init; }

    /// <summary><c>{tool}/{path}/{name}</c>: the base of the output and failure paths.</summary>
    public required string BaseName { get; init; }

    /// <summary>
    /// The job's tool, derived so that it is held in one place: API jobs, the request's (<see cref="EditSpec.Tool"/>);
    /// blob jobs, the tool folder the image was dropped in, known before the options are read (the options are validated
    /// against that folder, so the spec read later names the same tool). Null for an image outside a tool folder.
    /// </summary>
    /// <remarks>
    /// Not serialized. Inputs written before it was derived also carry a <c>Tool</c> field; deserializing ignores it, and
    /// it always held the value derived here (the request's tool, or the image's tool folder).
    /// </remarks>
    [JsonIgnore]
    public FluxTool? Tool => Spec is { } spec ? spec.Tool
        : Origin == JobOrigin.Blob && DropName.TryParse(Image.Name, out var drop, out _) ? drop.Tool
        : null;

    /// <summary>API jobs: the validated request. Blob jobs: null (options come from the companion file).</summary>
    public EditSpec? Spec { get; init; }

    /// <summary>API jobs: the mask already stored. Blob jobs: null (the companion).</summary>
    public BlobRef? Mask { get; init; }

    /// <summary>Blob jobs: the mask companion's name. </summary>
    public string? MaskCompanion { get; init; }

    /// <summary>API jobs: the reference images already stored (fill: the ACE++ reference; kontext: extra references). Blob jobs: null (the companion).</summary>
    public IReadOnlyList<BlobRef>? References { get; init; }

    /// <summary>Blob jobs: the optional reference companion's name (<c>{name}.ref.png</c>).</summary>
    public string? ReferenceCompanion { get; init; }

    /// <summary>Blob jobs: the options companion's name.</summary>
    public string? OptionsCompanion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required JobSettings Settings { get; init; }
}

/// <summary>Pipeline settings captured when a job starts.</summary>
/// <param name="WebhookBaseUrl">Runware reports results to this deployment's webhook route (null: polling only).</param>
/// <param name="WebhookFallbackSeconds">How long to wait for Runware's webhook before the job polls for itself.</param>
/// <param name="CallbackMaxAttempts">Attempts to deliver the completion callback.</param>
/// <param name="CallbackRetryDelayMs">First callback retry delay, doubled each time up to 5 minutes.</param>
/// <param name="TaskSilenceSeconds">How long a submitted inference may show no sign of life before it is looked up and
/// submitted again once (<c>Flux__TaskSilenceSeconds</c>).</param>
/// <param name="WatchSeconds">How long the activity that submits an inference watches it for its result before the job
/// goes on polling with durable timers (<c>Flux__InferenceWatchSeconds</c>; 0: durable polling only).</param>
/// <param name="PollWatchSeconds">How long each durable poll keeps polling in process (<c>Flux__PollWatchSeconds</c>; 0: one
/// <c>getResponse</c> per poll).</param>
public sealed record JobSettings(
    string OutputContainer,
    string FailedContainer,
    int CompanionWaitSeconds,
    int OptionalCompanionWaitSeconds,
    int InferenceTimeoutSeconds,
    int PollInitialDelayMs,
    int PollMaxDelayMs,
    int ActivityMaxAttempts,
    string ImageTransfer,
    string? WebhookBaseUrl,
    int WebhookFallbackSeconds = 20,
    int CallbackMaxAttempts = 10,
    int CallbackRetryDelayMs = 2000,
    int TaskSilenceSeconds = 60,
    int WatchSeconds = 30,
    int PollWatchSeconds = 5);
