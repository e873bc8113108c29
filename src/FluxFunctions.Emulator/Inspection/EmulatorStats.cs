using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Faults;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>Counters served at <c>GET /emulator/stats</c>. Lock-free and thread-safe.</summary>
internal sealed class EmulatorStats
{
    private readonly long[] faults = new long[Enum.GetValues<FaultKind>().Length];
    private long requests;
    private long requestBytes;
    private long inferencesAccepted;
    private long inferencesCompleted;
    private long inferencesFailed;
    private long duplicateSubmissions;
    private long uploads;
    private long uploadBytes;
    private long preprocesses;
    private long inFlight;
    private long maxInFlight;
    private long webhooksDelivered;
    private long webhooksFailed;
    private long resultsFetched;
    private long resultFetchDelayMs;
    private long resultFetchMaxDelayMs;

    // The in-flight curve over time (for slot utilisation): first start, last end, and its integral.
    private readonly object curveGate = new();
    private long firstStartedMs;
    private long lastEndedMs;
    private long lastChangeMs;
    private double inFlightMs;

    /// <summary>Inferences processing now (accepted, not finished; sync and async).</summary>
    public long InFlight => Interlocked.Read(ref inFlight);

    /// <summary>Inferences accepted since start (or the last reset).</summary>
    public long InferencesAccepted => Interlocked.Read(ref inferencesAccepted);

    public void RequestReceived(long bytes)
    {
        Interlocked.Increment(ref requests);
        Interlocked.Add(ref requestBytes, bytes);
    }

    public void FaultInjected(FaultKind kind) => Interlocked.Increment(ref faults[(int)kind]);

    public void DuplicateSubmission() => Interlocked.Increment(ref duplicateSubmissions);

    public void Uploaded(long bytes)
    {
        Interlocked.Increment(ref uploads);
        Interlocked.Add(ref uploadBytes, bytes);
    }

    public void Preprocessed() => Interlocked.Increment(ref preprocesses);

    /// <summary>A finished inference's result was fetched by <c>getResponse</c> for the first time, <paramref name="delayMs"/> after it was ready.</summary>
    public void ResultFetched(long delayMs)
    {
        Interlocked.Increment(ref resultsFetched);
        Interlocked.Add(ref resultFetchDelayMs, delayMs);
        RaiseTo(ref resultFetchMaxDelayMs, delayMs);
    }

    public void WebhookDelivered() => Interlocked.Increment(ref webhooksDelivered);

    public void WebhookFailed() => Interlocked.Increment(ref webhooksFailed);

    /// <summary>An inference was accepted and starts processing.</summary>
    public void InferenceStarted()
    {
        Interlocked.Increment(ref inferencesAccepted);
        Curve(started: true);
        RaiseTo(ref maxInFlight, Interlocked.Increment(ref inFlight));
    }

    /// <summary>An inference finished.</summary>
    public void InferenceEnded(bool succeeded)
    {
        Curve(started: false);
        Interlocked.Decrement(ref inFlight);
        if (succeeded)
        {
            Interlocked.Increment(ref inferencesCompleted);
        }
        else
        {
            Interlocked.Increment(ref inferencesFailed);
        }
    }

    /// <summary>Zeroes the counters (in-flight stays; the maximum restarts from it).</summary>
    public void Reset()
    {
        foreach (var kind in FaultNames.All)
        {
            Interlocked.Exchange(ref faults[(int)kind], 0);
        }

        Interlocked.Exchange(ref requests, 0);
        Interlocked.Exchange(ref requestBytes, 0);
        Interlocked.Exchange(ref inferencesAccepted, 0);
        Interlocked.Exchange(ref inferencesCompleted, 0);
        Interlocked.Exchange(ref inferencesFailed, 0);
        Interlocked.Exchange(ref duplicateSubmissions, 0);
        Interlocked.Exchange(ref uploads, 0);
        Interlocked.Exchange(ref uploadBytes, 0);
        Interlocked.Exchange(ref preprocesses, 0);
        Interlocked.Exchange(ref webhooksDelivered, 0);
        Interlocked.Exchange(ref webhooksFailed, 0);
        Interlocked.Exchange(ref resultsFetched, 0);
        Interlocked.Exchange(ref resultFetchDelayMs, 0);
        Interlocked.Exchange(ref resultFetchMaxDelayMs, 0);
        Interlocked.Exchange(ref maxInFlight, Interlocked.Read(ref inFlight));
        lock (curveGate)
        {
            firstStartedMs = lastEndedMs = lastChangeMs = 0;
            inFlightMs = 0;
        }
    }

    /// <summary>Raises a running maximum to <paramref name="value"/> unless it is already higher (lock-free).</summary>
    private static void RaiseTo(ref long maximum, long value)
    {
        var seen = Interlocked.Read(ref maximum);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref maximum, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>Adds the in-flight count since the last change to the integral, before it changes.</summary>
    private void Curve(bool started)
    {
        var now = Environment.TickCount64;
        lock (curveGate)
        {
            if (lastChangeMs > 0)
            {
                inFlightMs += Interlocked.Read(ref inFlight) * (double)(now - lastChangeMs);
            }

            lastChangeMs = now;
            if (started && firstStartedMs == 0)
            {
                firstStartedMs = now;
            }

            if (!started)
            {
                lastEndedMs = now;
            }
        }
    }

    /// <summary>Milliseconds from the first inference started to the last one ended (0 before any ended).</summary>
    private long InferenceWindowMs()
    {
        lock (curveGate)
        {
            return lastEndedMs > firstStartedMs && firstStartedMs > 0 ? lastEndedMs - firstStartedMs : 0;
        }
    }

    /// <summary>A point of the in-flight curve (tick count, 0: none yet) as Unix milliseconds, or null.</summary>
    private long? UnixMs(Func<long> tick)
    {
        long at;
        lock (curveGate)
        {
            at = tick();
        }

        return at == 0 ? null : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (Environment.TickCount64 - at);
    }

    /// <summary>Inference-milliseconds processed: the integral of the in-flight count over time.</summary>
    private double InFlightIntegral()
    {
        lock (curveGate)
        {
            return inFlightMs;
        }
    }

    /// <summary>The counters as served by <c>GET /emulator/stats</c>.</summary>
    public JsonObject ToJson()
    {
        var faultCounts = new JsonObject();
        foreach (var kind in FaultNames.All)
        {
            faultCounts[FaultNames.Name(kind)] = Interlocked.Read(ref faults[(int)kind]);
        }

        return new JsonObject
        {
            ["requests"] = Interlocked.Read(ref requests),
            ["requestBytes"] = Interlocked.Read(ref requestBytes),
            ["inferencesAccepted"] = Interlocked.Read(ref inferencesAccepted),
            ["inferencesCompleted"] = Interlocked.Read(ref inferencesCompleted),
            ["inferencesFailed"] = Interlocked.Read(ref inferencesFailed),
            ["duplicateSubmissions"] = Interlocked.Read(ref duplicateSubmissions),
            ["uploads"] = Interlocked.Read(ref uploads),
            ["uploadBytes"] = Interlocked.Read(ref uploadBytes),
            ["preprocesses"] = Interlocked.Read(ref preprocesses),
            ["inFlight"] = Interlocked.Read(ref inFlight),
            ["maxInFlight"] = Interlocked.Read(ref maxInFlight),
            ["webhooksDelivered"] = Interlocked.Read(ref webhooksDelivered),
            ["webhooksFailed"] = Interlocked.Read(ref webhooksFailed),
            ["inferenceWindowMs"] = InferenceWindowMs(),
            ["firstInferenceStartedAt"] = UnixMs(() => firstStartedMs),
            ["lastInferenceEndedAt"] = UnixMs(() => lastEndedMs),
            ["inFlightMs"] = Math.Round(InFlightIntegral()),
            ["resultsFetched"] = Interlocked.Read(ref resultsFetched),
            ["resultFetchDelayMs"] = Interlocked.Read(ref resultFetchDelayMs),
            ["resultFetchMaxDelayMs"] = Interlocked.Read(ref resultFetchMaxDelayMs),
            ["faults"] = faultCounts,
        };
    }
}
