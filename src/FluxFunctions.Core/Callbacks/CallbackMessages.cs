namespace FluxFunctions.Core.Callbacks;

/// <summary>Input of the <c>DeliverCallback</c> activity: one signed POST of a job's status at one of its callback events.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Url">The user's <c>callbackUrl</c>.</param>
/// <param name="DeliveryId">Sent as <c>x-flux-delivery</c>, the same on every attempt: <c>{jobId}.{event}</c>.</param>
/// <param name="Body">The exact JSON sent (and signed): the job as <c>GET /api/edits/{id}</c> shows it.</param>
/// <param name="Attempt">1 for the first attempt.</param>
public sealed record DeliverCallbackInput(string JobId, string Url, string DeliveryId, string Body, int Attempt);

/// <summary>What one callback attempt did.</summary>
/// <param name="Delivered">The receiver answered 2xx.</param>
/// <param name="Retryable">Worth another attempt: 408, 429, 5xx, a timeout or a connection error.</param>
/// <param name="StatusCode">The receiver's HTTP status, when it answered.</param>
/// <param name="Error">Why it was not delivered (no secrets, no query strings).</param>
/// <param name="RetryAfterSeconds">The receiver's <c>Retry-After</c>, when it sent one.</param>
/// <param name="At">When the attempt ended.</param>
public sealed record CallbackAttempt(bool Delivered, bool Retryable, int? StatusCode, string? Error, int? RetryAfterSeconds, DateTimeOffset At);
