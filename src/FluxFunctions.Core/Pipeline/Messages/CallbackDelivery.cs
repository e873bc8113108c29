using System.Text.Json.Serialization;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The delivery of a job's completion callback as recorded on the job (orchestration output and custom status) and shown
/// by <c>GET /api/edits/{id}</c> as <c>callback</c>.
/// </summary>
/// <param name="Url">The callback URL without its query (which may hold the receiver's token).</param>
/// <param name="Status">One of <see cref="CallbackStatuses"/>.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="LastStatusCode">The receiver's last HTTP status.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="DeliveredAt">When the receiver acknowledged it.</param>
/// <param name="Event">A progress event's name (<c>started</c>, <c>inferring</c>); null for the terminal callback.</param>
public sealed record CallbackDelivery(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("lastStatusCode")] int? LastStatusCode = null,
    [property: JsonPropertyName("lastError")] string? LastError = null,
    [property: JsonPropertyName("deliveredAt")] DateTimeOffset? DeliveredAt = null,
    [property: JsonPropertyName("event")] string? Event = null);

/// <summary>Values of <see cref="CallbackDelivery.Status"/>.</summary>
public static class CallbackStatuses
{
    /// <summary>Being sent or waiting to be retried.</summary>
    public const string Delivering = "delivering";

    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Given up: a final answer (4xx other than 408/429, a refused URL) or every attempt failed.</summary>
    public const string Failed = "failed";

    /// <summary>A progress event given up (as <see cref="Failed"/>): dropped, the job went on.</summary>
    public const string Dropped = "dropped";
}
