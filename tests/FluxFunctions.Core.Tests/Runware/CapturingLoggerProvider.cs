using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Tests.Runware;

/// <summary>One captured log line: category, level, event id, formatted text, structured state and exception.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> State, Exception? Exception)
{
    public override string ToString() => $"{Category} [{Level} {EventId.Id}] {Message} {string.Join(", ", State.Select(kv => $"{kv.Key}={kv.Value}"))} {Exception}";
}

/// <summary>Captures every log line (all levels, all categories) for assertions.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyList<CapturedLog> Logs => [.. _logs];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _logs);

    public void Dispose()
    {
    }

    public IReadOnlyList<CapturedLog> WithEventId(int id) => [.. _logs.Where(l => l.EventId.Id == id)];

    /// <summary>Waits (up to 10 s) until a line with the event id was logged; synchronisation, not timing.</summary>
    public async Task<CapturedLog> WaitForAsync(int eventId)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (_logs.FirstOrDefault(l => l.EventId.Id == eventId) is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No log line with event id {eventId}.");
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            logs.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value), exception));
        }
    }
}
