using FluxFunctions.Emulator.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// How far away the emulator plays Runware: a network round trip added to every Runware request (<c>POST /v1</c>) and
/// image download (<c>GET /emulator/images/…</c>), half before the request is handled and half before its answer goes
/// out, so a task's time at "Runware" starts half a round trip after the client sent it and its answer arrives half a
/// round trip after it was ready. On loopback every request costs next to nothing, which hides how many requests a job
/// makes one after another; the real service is a network away. Set by <c>Emulator:RoundTripMs</c>, changed at run time
/// by <c>PUT /emulator/network</c>; the inspection routes and the emulator's own webhook POSTs are never delayed.
/// </summary>
internal sealed class NetworkDistance(IOptions<EmulatorOptions> options, TimeProvider time)
{
    /// <summary>The largest round trip accepted (10 s).</summary>
    public const int MaxRoundTripMs = 10_000;

    private readonly int configured = options.Value.RoundTripMs;
    private volatile int roundTripMs = options.Value.RoundTripMs;

    /// <summary>The round trip in force, in milliseconds.</summary>
    public int RoundTripMs => roundTripMs;

    /// <summary>Changes the round trip until <see cref="Restore"/>.</summary>
    public void Replace(int milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(milliseconds, MaxRoundTripMs);
        roundTripMs = milliseconds;
    }

    /// <summary>Back to the setting.</summary>
    public void Restore() => roundTripMs = configured;

    /// <summary>Whether requests to <paramref name="path"/> travel the distance (Runware's API and its image URLs).</summary>
    public static bool Applies(PathString path) =>
        path.Equals("/v1", StringComparison.Ordinal) || path.Equals("/v1/", StringComparison.Ordinal) || path.StartsWithSegments("/emulator/images", StringComparison.Ordinal);

    /// <summary>The middleware: the way there before the request is handled, the way back before the answer starts.</summary>
    public async Task TravelAsync(HttpContext http, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        var trip = roundTripMs;
        if (trip <= 0 || !Applies(http.Request.Path))
        {
            await next().ConfigureAwait(false);
            return;
        }

        var there = TimeSpan.FromMilliseconds(trip / 2);
        var back = TimeSpan.FromMilliseconds(trip - (trip / 2));
        var aborted = http.RequestAborted;
        http.Response.OnStarting(() => WaitAtLeastAsync(back, aborted));
        await WaitAtLeastAsync(there, aborted).ConfigureAwait(false);
        await next().ConfigureAwait(false);
    }

    /// <summary>
    /// Waits <paramref name="span"/> or a little more, never less: a timer can fire a fraction of a millisecond before the
    /// clock says its time is up, and a round trip must take at least what it is set to.
    /// </summary>
    private async Task WaitAtLeastAsync(TimeSpan span, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var left = span; left > TimeSpan.Zero; left = span - time.GetElapsedTime(started))
        {
            await Task.Delay(left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
