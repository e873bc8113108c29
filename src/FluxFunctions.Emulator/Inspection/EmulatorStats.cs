using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Faults;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// Counters served at <c>GET /emulator/stats</c>: the plain ones of <see cref="Counter"/>, the in-flight curve and the
/// faults. Lock-free and thread-safe.
/// </summary>
internal sealed class EmulatorStats
{
    private readonly long[] faults = new long[Enum.GetValues<FaultKind>().Length];
    private readonly long[] counters = new long[Enum.GetValues<Counter>().Length];
    private long inFlight;
    private long maxInFlight;
    private long resultFetchMaxDelayMs;

    // When fetched results freed their client's slot, oldest first: the next inference started is timed against one (refills).
    private readonly System.Collections.Concurrent.ConcurrentQueue<long> freedAt = new();

    // The in-flight curve over time (for slot utilisation): the first starts (up to StartsKept: how soon a client filled
    // its slots), the last end, and its integral.
    private const int StartsKept = 16;
    private readonly object curveGate = new();
    private readonly List<long> firstStarts = new(StartsKept);
    private long lastEndedMs;
    private long lastChangeMs;
    private double inFlightMs;

    /// <summary>Inferences processing now (accepted, not finished; sync and async).</summary>
    public long InFlight => Interlocked.Read(ref inFlight);

    /// <summary>Inferences accepted since start (or the last reset).</summary>
    public long InferencesAccepted => Read(Counter.InferencesAccepted);

    public void RequestReceived(long bytes)
    {
        Add(Counter.Requests);
        Add(Counter.RequestBytes, bytes);
    }

    public void FaultInjected(FaultKind kind) => Interlocked.Increment(ref faults[(int)kind]);

    /// <summary>A repeated taskUUID was rejected (<c>Emulator:DuplicateTask</c> reject or rejectOtherCode).</summary>
    public void DuplicateRejected() => Add(Counter.DuplicatesRejected);

    /// <summary>A repeated taskUUID was accepted and its task run again (<c>Emulator:DuplicateTask</c> accept).</summary>
    public void DuplicateAccepted() => Add(Counter.DuplicatesAccepted);

    /// <summary>getResponse or getTaskDetails answered per <c>Emulator:UnknownTask</c>.</summary>
    public void UnknownTaskAnswered() => Add(Counter.UnknownTaskAnswers);

    /// <summary>A valid getTaskDetails task was served (known or unknown task).</summary>
    public void TaskDetailsRequested() => Add(Counter.TaskDetailsRequests);

    public void Uploaded(long bytes)
    {
        Add(Counter.Uploads);
        Add(Counter.UploadBytes, bytes);
    }

    public void Preprocessed() => Add(Counter.Preprocesses);

    /// <summary>An image (an inference result, a guide, an upload) was served from its URL.</summary>
    public void ImageServed() => Add(Counter.ImagesServed);

    /// <summary>
    /// A <c>getResponse</c> poll of a known inference, finished or not: over the inferences accepted, how many polls a
    /// client spends per inference to see its results soon (Runware's own SDK polls every 2 s).
    /// </summary>
    public void ResultPolled() => Add(Counter.ResultPolls);

    /// <summary>
    /// A finished inference's result was fetched by <c>getResponse</c> for the first time, <paramref name="delayMs"/> after
    /// it was ready; <paramref name="firstPoll"/>: by the task's first poll (how late the first poll was aimed, apart from
    /// how soon the polls after a miss came).
    /// </summary>
    public void ResultFetched(long delayMs, bool firstPoll = false)
    {
        Add(Counter.ResultsFetched);
        Add(Counter.ResultFetchDelayMs, delayMs);
        if (firstPoll)
        {
            Add(Counter.ResultsFetchedAtFirstPoll);
            Add(Counter.ResultFetchAtFirstPollDelayMs, delayMs);
        }

        RaiseTo(ref resultFetchMaxDelayMs, delayMs);
        freedAt.Enqueue(Environment.TickCount64);
    }

    /// <summary>A webhook was delivered: its client saw a result, as by a fetch.</summary>
    public void WebhookDelivered()
    {
        Add(Counter.WebhooksDelivered);
        freedAt.Enqueue(Environment.TickCount64);
    }

    public void WebhookFailed() => Add(Counter.WebhooksFailed);

    /// <summary>An inference was accepted and starts processing: it is charged.</summary>
    public void InferenceStarted()
    {
        Add(Counter.InferencesAccepted);
        Add(Counter.InferencesCharged);
        Curve(started: true);
        RaiseTo(ref maxInFlight, Interlocked.Increment(ref inFlight));
        if (freedAt.TryDequeue(out var freed))
        {
            // A client that waits for a slot submits its next inference once a result is fetched: how long that took.
            Add(Counter.Refills);
            Add(Counter.RefillDelayMs, Environment.TickCount64 - freed);
        }
    }

    /// <summary>An inference was acknowledged, then forgotten: it never runs and is not charged.</summary>
    public void InferenceForgotten()
    {
        Add(Counter.InferencesAccepted);
        Add(Counter.TasksForgotten);
    }

    /// <summary>An inference finished.</summary>
    public void InferenceEnded(bool succeeded)
    {
        Curve(started: false);
        Interlocked.Decrement(ref inFlight);
        Add(succeeded ? Counter.InferencesCompleted : Counter.InferencesFailed);
    }

    /// <summary>Zeroes the counters (in-flight stays; the maximum restarts from it).</summary>
    public void Reset()
    {
        foreach (var kind in FaultNames.All)
        {
            Interlocked.Exchange(ref faults[(int)kind], 0);
        }

        foreach (var counter in Counters.Names.All)
        {
            Interlocked.Exchange(ref counters[(int)counter], 0);
        }

        Interlocked.Exchange(ref resultFetchMaxDelayMs, 0);
        freedAt.Clear();
        Interlocked.Exchange(ref maxInFlight, Interlocked.Read(ref inFlight));
        lock (curveGate)
        {
            lastEndedMs = lastChangeMs = 0;
            inFlightMs = 0;
            firstStarts.Clear();
        }
    }

    private void Add(Counter counter, long amount = 1) => Interlocked.Add(ref counters[(int)counter], amount);

    private long Read(Counter counter) => Interlocked.Read(ref counters[(int)counter]);

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
            if (started && firstStarts.Count < StartsKept)
            {
                firstStarts.Add(now);
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
            return lastEndedMs > FirstStartedMs && FirstStartedMs > 0 ? lastEndedMs - FirstStartedMs : 0;
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

    /// <summary>When the first inference started (tick count, 0: none yet); under the curve's lock.</summary>
    private long FirstStartedMs => firstStarts.Count > 0 ? firstStarts[0] : 0;

    /// <summary>When the first (up to 16) inferences started, in milliseconds after the first one.</summary>
    private JsonArray FirstStarts()
    {
        lock (curveGate)
        {
            return [.. firstStarts.Select(at => (JsonNode)(at - firstStarts[0]))];
        }
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

        var json = new JsonObject();
        foreach (var counter in Counters.Names.All)
        {
            json[Counters.Names.Name(counter)] = Read(counter);
        }

        // The original name, kept for its readers: every repeated taskUUID, rejected or accepted again.
        json["duplicateSubmissions"] = Read(Counter.DuplicatesRejected) + Read(Counter.DuplicatesAccepted);
        json["inFlight"] = Interlocked.Read(ref inFlight);
        json["maxInFlight"] = Interlocked.Read(ref maxInFlight);
        json["inferenceWindowMs"] = InferenceWindowMs();
        json["firstInferenceStartedAt"] = UnixMs(() => FirstStartedMs);
        json["lastInferenceEndedAt"] = UnixMs(() => lastEndedMs);
        json["inFlightMs"] = Math.Round(InFlightIntegral());
        json["firstStartsMs"] = FirstStarts();
        json["resultFetchMaxDelayMs"] = Interlocked.Read(ref resultFetchMaxDelayMs);
        json["faults"] = faultCounts;
        return json;
    }
}
