using System.ComponentModel.DataAnnotations;

namespace FluxFunctions.Core.Configuration;

/// <summary>Pipeline settings, section <c>Flux</c> (SPEC §4; environment variables <c>Flux__Name</c>).</summary>
public sealed class FluxOptions
{
    public const string Section = "Flux";

    /// <summary>Where users drop work. Default <c>flux-inputs</c>.</summary>
    [Required, RegularExpression(ContainerNamePattern, ErrorMessage = ContainerNameMessage)]
    public string InputContainer { get; set; } = "flux-inputs";

    /// <summary>Results and manifests. Default <c>flux-outputs</c>.</summary>
    [Required, RegularExpression(ContainerNamePattern, ErrorMessage = ContainerNameMessage)]
    public string OutputContainer { get; set; } = "flux-outputs";

    /// <summary>One error record per failed job. Default <c>flux-failed</c>.</summary>
    [Required, RegularExpression(ContainerNamePattern, ErrorMessage = ContainerNameMessage)]
    public string FailedContainer { get; set; } = "flux-failed";

    /// <summary>Results Runware flagged, for jobs with <c>safety.onFlagged: quarantine</c>. Default <c>flux-quarantine</c>.</summary>
    [Required, RegularExpression(ContainerNamePattern, ErrorMessage = ContainerNameMessage)]
    public string QuarantineContainer { get; set; } = "flux-quarantine";

    /// <summary>
    /// Inputs of HTTP jobs and the prepared images sent to Runware (never watched for drops). Default <c>flux-work</c>.
    /// </summary>
    [Required, RegularExpression(ContainerNamePattern, ErrorMessage = ContainerNameMessage)]
    public string WorkContainer { get; set; } = "flux-work";

    /// <summary>How long a job waits for a required companion (mask, options). Default 60 s.</summary>
    [Range(0, 86400)]
    public int CompanionWaitSeconds { get; set; } = 60;

    /// <summary>How long a Redux job waits for its optional options file before running with defaults. Default 5 s.</summary>
    [Range(0, 3600)]
    public int OptionalCompanionWaitSeconds { get; set; } = 5;

    /// <summary>
    /// Runware inferences in flight at once, across every host of the deployment (the slots are rows of
    /// <see cref="SlotTable"/>). Default 8.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentInferences { get; set; } = 8;

    /// <summary>
    /// Submissions that may wait on one host for an inference slot at once (first come, first served); beyond that a job
    /// is told to come back later by durable timer. Each waits inside its activity, so the host's activity concurrency
    /// must hold these, the inferences it watches and the rest of the work. Default 32: four inference times of work at
    /// the default 8 slots, enough that a slot given back always finds a submission waiting although storage pauses for
    /// seconds at a time. 0: nobody waits, every busy submission comes back by timer.
    /// </summary>
    [Range(0, 4096)]
    public int SlotLineLength { get; set; } = 32;

    /// <summary>Largest input image accepted, in pixels, checked from the header before decoding. Default 64 MP.</summary>
    [Range(1, 1_000_000_000)]
    public long MaxInputPixels { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest input file accepted, in bytes. Default 50 MB.</summary>
    [Range(1, 1_000_000_000)]
    public long MaxInputBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>How long a job waits for Runware's result before failing, while Runware shows the task processing. Default 15 minutes.</summary>
    [Range(1, 86400)]
    public int InferenceTimeoutSeconds { get; set; } = 900;

    /// <summary>
    /// How long a submitted inference may show no sign of life (<c>getResponse</c> answers with no entry for it, in any of
    /// the shapes Runware's docs leave open) before the job looks it up with <c>getTaskDetails</c> and, when Runware does
    /// not show it, submits it again under the same taskUUID once; silent as long again after that, the job fails with
    /// <c>runwareTaskMissing</c>. Default 60 s.
    /// </summary>
    [Range(1, 3600)]
    public int TaskSilenceSeconds { get; set; } = 60;

    /// <summary>First getResponse poll delay in milliseconds (then doubling up to <see cref="PollMaxDelayMs"/>). Default 1000.</summary>
    [Range(50, 60000)]
    public int PollInitialDelayMs { get; set; } = 1000;

    /// <summary>Longest delay between getResponse polls. Default 8000 ms.</summary>
    [Range(100, 300000)]
    public int PollMaxDelayMs { get; set; } = 8000;

    /// <summary>
    /// The wait, in milliseconds, between <c>getResponse</c> polls of an inference being watched
    /// (<see cref="InferenceWatchSeconds"/>) around its expected time; later each wait is half as long again, up to 2 s (a
    /// result is seen within tens of milliseconds, a long-running task costs a poll every 2 s at most). Default 100.
    /// </summary>
    [Range(1, 60000)]
    public int WatchPollIntervalMs { get; set; } = 100;

    /// <summary>
    /// How long the activity that submits an inference watches it for its result (polling <c>getResponse</c> in process)
    /// before the job goes on polling with durable timers; 0: durable polling from the start. Not with Runware webhooks.
    /// Default 30 s.
    /// </summary>
    [Range(0, 600)]
    public int InferenceWatchSeconds { get; set; } = 30;

    /// <summary>
    /// How long each durable poll of an inference (after the submitting activity stopped watching it, or never did) keeps
    /// polling <c>getResponse</c> in process when the result is not in yet; 0: one <c>getResponse</c> per poll, a durable
    /// timer between polls. Default 5 s.
    /// </summary>
    [Range(0, 120)]
    public int PollWatchSeconds { get; set; } = 5;

    /// <summary>The table holding the deployment's inference slots (one partition per work container). Default <c>fluxslots</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string SlotTable { get; set; } = "fluxslots";

    /// <summary>
    /// Attempts of an activity on transient faults (durable retry policy: 2 s doubling to 60 s, each job with its own
    /// jitter). Default 8: a job rides out about three minutes of Runware or storage trouble before it fails.
    /// </summary>
    [Range(1, 50)]
    public int ActivityMaxAttempts { get; set; } = 8;

    /// <summary>HTTP keys accepted by the self-hosted runner (<c>Flux__ApiKeys__0</c>, …).</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>
    /// HMAC-SHA256 secret signing callbacks to users (<c>x-flux-signature</c>), and the key the per-job tokens of Runware's
    /// webhooks are derived from. At least 16 characters when set; required for <c>callbackUrl</c> and for
    /// <c>Runware__WebhookBaseUrl</c>.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Attempts to deliver one completion callback (the first and the retries). Default 10.</summary>
    [Range(1, 50)]
    public int CallbackMaxAttempts { get; set; } = 10;

    /// <summary>Delay before the first callback retry in milliseconds, doubled each time up to 5 minutes. Default 2000.</summary>
    [Range(10, 600000)]
    public int CallbackRetryDelayMs { get; set; } = 2000;

    /// <summary>Time limit of one callback attempt (connect, send, answer headers). Default 10 s.</summary>
    [Range(1, 120)]
    public int CallbackTimeoutSeconds { get; set; } = 10;

    /// <summary>Lets image URLs and callbacks reach loopback and private addresses, over http too (development and tests only).</summary>
    public bool AllowPrivateNetworkUrls { get; set; }

    /// <summary>
    /// Self-hosted runner only: serve the HTTP API without a key. Default false: without <see cref="ApiKeys"/> and
    /// without this the runner refuses to start.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Largest HTTP request body accepted (413 above it), on both hosts. Default 100 MB (the Functions host's own limit).</summary>
    [Range(1024, 1_000_000_000)]
    public long MaxRequestBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Time limit for downloading one image URL, redirects included. Default 30 s.</summary>
    [Range(1, 600)]
    public int UrlFetchTimeoutSeconds { get; set; } = 30;

    /// <summary>How often the self-hosted runner lists the input container. Default 2000 ms.</summary>
    [Range(100, 600000)]
    public int WatchIntervalMs { get; set; } = 2000;

    /// <summary>
    /// The deployment's content safety default (<c>Flux__Safety__Check</c>, <c>Flux__Safety__OnFlagged</c>), for jobs whose
    /// options leave <c>safety</c> (or one of its fields) out. Validated by <see cref="SafetyOptionsValidator"/>.
    /// </summary>
    public SafetyDefaults Safety { get; } = new();

    internal const string ContainerNamePattern = "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$";
    internal const string ContainerNameMessage = "must be a valid blob container name: 3-63 lower-case letters, digits and single hyphens.";
}
