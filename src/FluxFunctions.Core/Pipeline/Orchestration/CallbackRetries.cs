using FluxFunctions.Core.Callbacks;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Core.Pipeline.Activities;
using Microsoft.DurableTask;

namespace FluxFunctions.Core.Pipeline;

/// <summary>How one callback is retried: attempts, back-off (doubling from the first delay up to the longest), a
/// receiver's <c>Retry-After</c> honoured up to its cap, and what a delivery that gave up is called.</summary>
/// <param name="MaxAttempts">Attempts in all.</param>
/// <param name="FirstDelay">The wait after the first failed attempt.</param>
/// <param name="MaxDelay">The longest back-off.</param>
/// <param name="MaxRetryAfter">The longest wait a receiver's <c>Retry-After</c> can ask for.</param>
/// <param name="GiveUpStatus">The delivery's status when it gives up (<see cref="CallbackStatuses"/>).</param>
internal sealed record CallbackPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan MaxRetryAfter, string GiveUpStatus);

/// <summary>
/// One signed callback delivered with durable retries, for the terminal event (<see cref="CompletionCallback"/>) and the
/// progress events (<see cref="ProgressCallbacks"/>) alike: each attempt is a <see cref="DeliverCallback"/> activity
/// (which says whether a failure is worth retrying), each wait a durable timer.
/// </summary>
internal static class CallbackRetries
{
    /// <summary>
    /// Delivers <paramref name="body"/> and returns how it went (its URL shown without query or credentials,
    /// <see cref="UrlGuard.Display"/>); <paramref name="show"/> hears what is happening (a custom status).
    /// </summary>
    public static async Task<CallbackDelivery> DeliverAsync(
        TaskOrchestrationContext context,
        string jobId,
        string url,
        string deliveryId,
        string body,
        string? callbackEvent,
        CallbackPolicy policy,
        Action<string, CallbackDelivery>? show = null)
    {
        var shown = Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? UrlGuard.Display(parsed) : "(invalid URL)";
        var delivery = new CallbackDelivery(shown, CallbackStatuses.Delivering, 0, Event: callbackEvent);
        var delay = policy.FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            show?.Invoke($"callback attempt {attempt}", delivery);
            CallbackAttempt sent;
            try
            {
                sent = await context.CallActivityAsync<CallbackAttempt>(nameof(DeliverCallback), new DeliverCallbackInput(jobId, url, deliveryId, body, attempt)).ConfigureAwait(true);
            }
            catch (TaskFailedException ex)
            {
                sent = new CallbackAttempt(false, true, null, "internal error: " + Clip(ex.FailureDetails.ErrorMessage), null, context.CurrentUtcDateTime);
            }

            delivery = delivery with { Attempts = attempt, LastStatusCode = sent.StatusCode, LastError = sent.Error };
            if (sent.Delivered)
            {
                return delivery with { Status = CallbackStatuses.Delivered, DeliveredAt = sent.At };
            }

            if (!sent.Retryable || attempt >= policy.MaxAttempts)
            {
                return delivery with { Status = policy.GiveUpStatus };
            }

            var wait = delay;
            if (sent.RetryAfterSeconds is { } retryAfter && TimeSpan.FromSeconds(retryAfter) > wait)
            {
                wait = TimeSpan.FromSeconds(Math.Min(retryAfter, policy.MaxRetryAfter.TotalSeconds));
            }

            show?.Invoke($"callback attempt {attempt} failed ({sent.Error}); retrying in {wait.TotalSeconds:0.#} s", delivery);
            await context.CreateTimer(wait, CancellationToken.None).ConfigureAwait(true);
            delay = TimeSpan.FromMilliseconds(Math.Min(policy.MaxDelay.TotalMilliseconds, delay.TotalMilliseconds * 2));
        }
    }

    private static string Clip(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
