using FluxFunctions.Emulator.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Inspection;

/// <summary>
/// The last <c>MaxRecordedRequests</c> requests to the Runware endpoint (a ring buffer), with secrets redacted.
/// Thread-safe.
/// </summary>
internal sealed class RequestRecorder
{
    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "x-api-key", "api-key", "apiKey",
    };

    private readonly Queue<RecordedRequest> requests = new();
    private readonly Lock gate = new();
    private readonly int capacity;
    private long sequence;

    public RequestRecorder(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        capacity = options.Value.MaxRecordedRequests;
    }

    /// <summary>The next sequence number (1, 2, …), taken when a request arrives.</summary>
    public long NextSequence() => Interlocked.Increment(ref sequence);

    /// <summary>Keeps a request, dropping the oldest beyond the capacity.</summary>
    public void Add(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (gate)
        {
            requests.Enqueue(request);
            while (requests.Count > capacity)
            {
                requests.Dequeue();
            }
        }
    }

    /// <summary>The kept requests, oldest first, ordered by sequence.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (gate)
        {
            return [.. requests.OrderBy(r => r.Seq)];
        }
    }

    /// <summary>Forgets every kept request.</summary>
    public void Clear()
    {
        lock (gate)
        {
            requests.Clear();
        }
    }

    /// <summary>The request headers with secret values redacted (<c>Bearer ***</c> for a bearer token, else <c>***</c>).</summary>
    public static IReadOnlyDictionary<string, string> RedactHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var result = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            var value = values.ToString();
            if (SecretHeaders.Contains(name))
            {
                value = value.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) ? "Bearer ***" : "***";
            }
            else if (value.Length > JsonRedactor.LongString)
            {
                value = JsonRedactor.Shorten(value);
            }

            result[name] = value;
        }

        return result;
    }
}
