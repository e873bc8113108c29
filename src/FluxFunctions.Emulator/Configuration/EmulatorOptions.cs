namespace FluxFunctions.Emulator.Configuration;

/// <summary>
/// Emulator settings, section <c>Emulator</c> (environment variables <c>Emulator__Name</c>, command line
/// <c>--Emulator:Name=value</c>). Validated on start by <see cref="EmulatorOptionsValidator"/>.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Emulator";

    /// <summary>Time each inference takes, async and sync delivery alike. Default 0 ms.</summary>
    public int LatencyMs { get; set; }

    /// <summary>
    /// Injected faults by rate per HTTP request, e.g. <c>429:0.1,500:0.05,hang:0.01,malformed:0.01,lost:0.01</c>.
    /// Kinds: <c>429</c>, <c>500</c>, <c>hang</c>, <c>malformed</c>, <c>lost</c>, <c>402</c>, <c>403</c>, <c>forget</c>;
    /// rates 0–1 summing to at most 1. Default empty.
    /// </summary>
    public string Faults { get; set; } = string.Empty;

    /// <summary>When set, requests need <c>Authorization: Bearer &lt;key&gt;</c>. Secret: never logged. Default empty (no auth).</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>Value of the <c>Retry-After</c> header of an injected 429. Default 1 s.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How long an injected <c>hang</c> holds the request before answering 504. Default 300000 ms.</summary>
    public int HangMs { get; set; } = 300_000;

    /// <summary>Seed of the fault random generator, for reproducible fault sequences. Default none (random).</summary>
    public int? Seed { get; set; }

    /// <summary>Colour shift in levels (0–255 scale) that Fill applies outside the mask, simulating VAE drift. Default 6.</summary>
    public int FillDrift { get; set; } = 6;

    /// <summary>Smallest width/height accepted (a multiple of 64). Default 128.</summary>
    public int MinDimension { get; set; } = 128;

    /// <summary>Largest width/height accepted (a multiple of 64). Default 2048.</summary>
    public int MaxDimension { get; set; } = 2048;

    /// <summary>Requests kept for <c>GET /emulator/requests</c> (a ring buffer). Default 10000.</summary>
    public int MaxRecordedRequests { get; set; } = 10_000;

    /// <summary>Images kept in memory (uploads, results, guides); the oldest are evicted beyond it. Default 2000.</summary>
    public int MaxImages { get; set; } = 2000;

    /// <summary>Total encoded bytes of images kept in memory; the oldest are evicted beyond it. Default 1 GiB.</summary>
    public long MaxImageBytes { get; set; } = 1L << 30;

    /// <summary>Task UUIDs remembered (duplicate detection, <c>getResponse</c>); the oldest finished are forgotten beyond it. Default 100000.</summary>
    public int MaxTasks { get; set; } = 100_000;

    /// <summary>Largest accepted request body. Default 100 MiB.</summary>
    public long MaxRequestBytes { get; set; } = 100L << 20;

    /// <summary>Timeout for downloading an image given by URL. Default 20 s.</summary>
    public int DownloadTimeoutSeconds { get; set; } = 20;

    /// <summary>Largest image downloaded from a URL. Default 50 MiB.</summary>
    public long MaxDownloadBytes { get; set; } = 50L << 20;

    /// <summary>
    /// How getResponse and getTaskDetails answer a taskUUID the emulator does not know: <c>taskNotFound</c> (HTTP 400),
    /// <c>empty</c> (HTTP 200 <c>{"data":[]}</c>), <c>http400</c> (HTTP 400 <c>invalidParameter</c>), <c>http404</c>
    /// (HTTP 404 <c>notFound</c>) or <c>taskFailedOrNotFound</c> (HTTP 400). Default <c>taskNotFound</c>.
    /// </summary>
    public string UnknownTask { get; set; } = "taskNotFound";

    /// <summary>
    /// What a repeated taskUUID gets: <c>reject</c> (HTTP 400 <c>duplicateTaskUUID</c>), <c>rejectOtherCode</c> (HTTP 400
    /// <c>conflictTaskUUID</c>) or <c>accept</c> (run and charged again, replacing the old task). Default <c>reject</c>.
    /// </summary>
    public string DuplicateTask { get; set; } = "reject";

    /// <summary>What one webhook POST carries: <c>perResult</c> (each result entry or error object) or <c>perTask</c> (<c>{"data":[...]}</c> or <c>{"errors":[...]}</c> per finished task). Default <c>perResult</c>.</summary>
    public string WebhookShape { get; set; } = "perResult";

    /// <summary>How long an accepted async inference stays unknown to getResponse and getTaskDetails (eventual consistency). Default 0 ms.</summary>
    public int VisibleAfterMs { get; set; }

    /// <summary>How long inference results stay available (image URL, getResponse) when the task gives no <c>ttl</c> or does not ask for URLs. Default 86400 s.</summary>
    public int ResultTtlSeconds { get; set; } = 86_400;

    /// <summary>
    /// Content check: of results whose task carries <c>safety</c> (checkContent or mode fast/full), flag every Nth by seed
    /// (seed + 1 a multiple of N: the same request and seed always get the same verdict); 0 flags none. Default 0.
    /// </summary>
    public int FlagEvery { get; set; }

    /// <summary>
    /// How a flagged result is answered: <c>flag</c> (returned with <c>NSFWContent: true</c>) or <c>error</c> (the inference
    /// fails with <c>nsfwContentDetected</c>). Default <c>flag</c>.
    /// </summary>
    public string FlaggedAnswer { get; set; } = "flag";

    /// <summary>
    /// Network round trip added to every Runware request (<c>POST /v1</c>) and image download (<c>GET /emulator/images/…</c>):
    /// half before the request is handled, half before its answer goes out, as if Runware were that far away. 0 (the
    /// default) adds none; the inspection routes are never delayed. Changed at run time by <c>PUT /emulator/network</c>.
    /// </summary>
    public int RoundTripMs { get; set; }

    /// <summary>True when <see cref="ApiKey"/> is set.</summary>
    public bool RequiresApiKey => !string.IsNullOrEmpty(ApiKey);
}
