using System.Net.Mime;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Inspection;

namespace FluxFunctions.Emulator.Webhooks;

/// <summary>One webhook POST to make.</summary>
/// <param name="Url">Where to post.</param>
/// <param name="TaskUuid">The task it reports (for logs).</param>
/// <param name="Payload">The JSON object: a result entry or error, or a task's response envelope (see <see cref="WebhookPublisher"/>).</param>
internal sealed record WebhookDelivery(Uri Url, string TaskUuid, JsonObject Payload);

/// <summary>
/// Posts task results to their <c>webhookURL</c> in the background, one POST per delivery (shaped by
/// <see cref="WebhookPublisher"/>), retried 3 times with growing delays. The queue is bounded; when full, new deliveries are dropped and logged.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, EmulatorStats stats, ILogger<WebhookSender> logger) : BackgroundService
{
    /// <summary>The named HTTP client used for webhooks.</summary>
    public const string ClientName = "FluxFunctions.Emulator.Webhooks";

    /// <summary>Attempts per delivery: the first and 3 retries.</summary>
    public const int Attempts = 4;

    private const int Workers = 4;

    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    private readonly Channel<WebhookDelivery> queue = Channel.CreateBounded<WebhookDelivery>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Queues a delivery; never blocks.</summary>
    public void Enqueue(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (!queue.Writer.TryWrite(delivery))
        {
            stats.WebhookFailed();
            Log.WebhookQueueFull(logger, delivery.TaskUuid);
        }
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var delivery in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(delivery, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: undelivered webhooks are dropped.
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        var body = delivery.Payload.ToJsonString();
        var reason = string.Empty;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, MediaTypeNames.Application.Json);
                using var response = await clients.CreateClient(ClientName).PostAsync(delivery.Url, content, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    stats.WebhookDelivered();
                    return;
                }

                reason = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                reason = ex.HttpRequestError.ToString();
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                reason = "timeout";
            }

            if (attempt < Attempts)
            {
                await Task.Delay(Backoff[attempt - 1], stoppingToken);
            }
        }

        stats.WebhookFailed();
        Log.WebhookFailed(logger, ImageDownloader.Redact(delivery.Url), delivery.TaskUuid, Attempts, reason);
    }
}
