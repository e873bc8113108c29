using System.ComponentModel.DataAnnotations;

namespace FluxFunctions.Runware;

/// <summary>Runware settings, section <c>Runware</c> (SPEC §4; environment variables <c>Runware__Name</c>).</summary>
public sealed class RunwareOptions
{
    public const string Section = "Runware";

    /// <summary>REST endpoint. Default <c>https://api.runware.ai/v1</c>.</summary>
    [Required(ErrorMessage = "Runware:BaseUrl is required (e.g. https://api.runware.ai/v1 or the emulator's http://127.0.0.1:5380/v1).")]
    public Uri BaseUrl { get; set; } = new("https://api.runware.ai/v1");

    /// <summary>The API key. Secret: never logged, never in a manifest or error.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>upload</c> (imageUpload once per job) or <c>sas-url</c> (Runware reads a read-only SAS URL).</summary>
    [Required(ErrorMessage = "Runware:ImageTransfer is required: 'upload' or 'sas-url'.")]
    [RegularExpression("^(upload|sas-url)$", ErrorMessage = "Runware:ImageTransfer must be 'upload' or 'sas-url'.")]
    public string ImageTransfer { get; set; } = "upload";

    /// <summary>
    /// Public base URL of this deployment; when set, inference tasks carry a <c>webhookURL</c> under it
    /// (<c>{base}/api/runware/webhook/{jobId}?token=…</c>) and Runware reports results there instead of being polled.
    /// </summary>
    public Uri? WebhookBaseUrl { get; set; }

    /// <summary>
    /// How long a job waits for a pushed event before it checks for itself: Runware's webhook (with
    /// <see cref="WebhookBaseUrl"/>) or the self-hosted runner's watched result before each fallback <c>getResponse</c>
    /// poll, the runner's slot signal before it asks for an inference slot again. Default 20 s.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Runware:WebhookFallbackSeconds must be between {1} and {2}.")]
    public int WebhookFallbackSeconds { get; set; } = 20;

    /// <summary>Timeout of one HTTP attempt. Default 30 s.</summary>
    [Range(1, 600, ErrorMessage = "Runware:AttemptTimeoutSeconds must be between {1} and {2}.")]
    public int AttemptTimeoutSeconds { get; set; } = 30;

    /// <summary>Total time for one call including retries. Default 120 s.</summary>
    [Range(1, 3600, ErrorMessage = "Runware:TotalTimeoutSeconds must be between {1} and {2}.")]
    public int TotalTimeoutSeconds { get; set; } = 120;

    /// <summary>Retries of one call on 429, 5xx, timeouts and malformed answers. Default 4.</summary>
    [Range(0, 20, ErrorMessage = "Runware:MaxRetries must be between {1} and {2}.")]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay, doubled with jitter each time. Default 500 ms.</summary>
    [Range(1, 60000, ErrorMessage = "Runware:RetryBaseDelayMs must be between {1} and {2}.")]
    public int RetryBaseDelayMs { get; set; } = 500;

    /// <summary>Concurrent HTTP requests to Runware per host. Default 32.</summary>
    [Range(1, 1024, ErrorMessage = "Runware:MaxConcurrentRequests must be between {1} and {2}.")]
    public int MaxConcurrentRequests { get; set; } = 32;

    /// <summary>Requests that may wait for a free slot when <see cref="MaxConcurrentRequests"/> are in flight. Default 1000.</summary>
    [Range(0, 100000, ErrorMessage = "Runware:MaxQueuedRequests must be between {1} and {2}.")]
    public int MaxQueuedRequests { get; set; } = 1000;

    /// <summary>Failure ratio that opens the circuit breaker (over <see cref="BreakerSamplingSeconds"/>). Default 0.5.</summary>
    [Range(0.01, 1.0, ErrorMessage = "Runware:BreakerFailureRatio must be between {1} and {2}.")]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Minimum calls in the sampling window before the breaker may open. Default 20.</summary>
    [Range(2, 10000, ErrorMessage = "Runware:BreakerMinimumThroughput must be between {1} and {2}.")]
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Sampling window of the breaker. Default 30 s.</summary>
    [Range(1, 3600, ErrorMessage = "Runware:BreakerSamplingSeconds must be between {1} and {2}.")]
    public int BreakerSamplingSeconds { get; set; } = 30;

    /// <summary>How long the breaker stays open. Default 15 s.</summary>
    [Range(1, 3600, ErrorMessage = "Runware:BreakerBreakSeconds must be between {1} and {2}.")]
    public int BreakerBreakSeconds { get; set; } = 15;

    /// <summary>Smallest width/height Runware accepts (sources differ: 128, 256 or 512). Default 128.</summary>
    [Range(64, 2048, ErrorMessage = "Runware:MinDimension must be between {1} and {2}.")]
    public int MinDimension { get; set; } = 128;

    /// <summary>Largest width/height. Default 2048.</summary>
    [Range(64, 8192, ErrorMessage = "Runware:MaxDimension must be between {1} and {2}.")]
    public int MaxDimension { get; set; } = 2048;

    /// <summary>True when the key is set.</summary>
    public bool HasApiKey => !string.IsNullOrWhiteSpace(ApiKey);
}
