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

    public void WebhookDelivered() => Interlocked.Increment(ref webhooksDelivered);

    public void WebhookFailed() => Interlocked.Increment(ref webhooksFailed);

    /// <summary>An inference was accepted and starts processing.</summary>
    public void InferenceStarted()
    {
        Interlocked.Increment(ref inferencesAccepted);
        var now = Interlocked.Increment(ref inFlight);
        var seen = Interlocked.Read(ref maxInFlight);
        while (now > seen)
        {
            var previous = Interlocked.CompareExchange(ref maxInFlight, now, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    /// <summary>An inference finished.</summary>
    public void InferenceEnded(bool succeeded)
    {
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
        Interlocked.Exchange(ref maxInFlight, Interlocked.Read(ref inFlight));
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
            ["faults"] = faultCounts,
        };
    }
}
