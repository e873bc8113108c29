using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Errors;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Runware;
using FluxFunctions.Core.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>The watcher's own rules, on a fake clock: when it polls, and what it does with what it gets.</summary>
public sealed class InferenceWatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Watch_PollRefusedWithRetryAfter_NextPollWaitsForIt()
    {
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time,
            _ => throw new TransientFluxException("429 after the client's retries") { RetryAfter = TimeSpan.FromSeconds(5) },
            task => Success(task));
        var events = new RecordingEvents();
        using var watcher = Watcher(runware, events, time, out var slots);
        Assert.True(await slots.TryAcquireAsync("task-1", TimeSpan.Zero));

        Assert.True(watcher.Watch("job-1", "task-1", 1));
        await AdvanceUntilAsync(time, () => events.Raised.Count == 1);

        // The refused poll came no sooner than the initial delay (nothing learned yet); the next one not before
        // Retry-After, though four poll intervals (1 s) had long passed.
        Assert.Equal(2, runware.Calls.Count);
        Assert.True(runware.Calls[0] >= TimeSpan.FromSeconds(1), $"first poll after {runware.Calls[0]}");
        Assert.True(runware.Calls[1] - runware.Calls[0] >= TimeSpan.FromSeconds(5), $"polled again after {runware.Calls[1] - runware.Calls[0]}");

        // The result went to the job as the webhook's event, marked as the watcher's, and the slot is free again.
        var (jobId, name, payload) = Assert.Single(events.Raised);
        Assert.Equal("job-1", jobId);
        Assert.Equal(RunwareWebhookEvent.Name("task-1"), name);
        var posted = Assert.IsType<RunwareWebhookEvent>(payload);
        Assert.Equal(InferenceWatcher.Via, posted.Via);
        Assert.Equal("img-task-1", Assert.Single(posted.Images).ImageUUID);
        Assert.Equal(0, slots.InFlight);
        Assert.Equal(0, watcher.Count);
    }

    [Fact]
    public async Task Watch_PermanentError_StopsWithoutRaisingAndKeepsTheSlot()
    {
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time, _ => throw new PermanentFluxException([new FluxError("invalidApiKey", "The key was refused.")]));
        var events = new RecordingEvents();
        using var watcher = Watcher(runware, events, time, out var slots);
        Assert.True(await slots.TryAcquireAsync("task-1", TimeSpan.Zero));

        Assert.True(watcher.Watch("job-1", "task-1", 1));
        await AdvanceUntilAsync(time, () => watcher.Count == 0);

        // The job's own fallback poll reports the error (and frees the slot); the watcher does not guess.
        Assert.Single(runware.Calls);
        Assert.Empty(events.Raised);
        Assert.Equal(1, slots.InFlight);
    }

    [Fact]
    public async Task Watch_TaskSilentThenProcessingThenDone_KeepsWatchingAndRaisesTheResult()
    {
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time, _ => Silent, _ => Silent, _ => new InferencePoll(PollStatus.Processing, []), task => Success(task));
        var events = new RecordingEvents();
        using var watcher = Watcher(runware, events, time, out _);

        Assert.True(watcher.Watch("job-1", "task-1", 1));
        await AdvanceUntilAsync(time, () => events.Raised.Count == 1);

        // A silent answer is no outcome: it is not raised on the job, and the task is still watched.
        Assert.Equal(4, runware.Calls.Count);
        Assert.Single(Assert.IsType<RunwareWebhookEvent>(Assert.Single(events.Raised).Payload).Images);
    }

    [Fact]
    public async Task Watch_TaskSilentForTheSilenceTime_StopsWithoutRaising()
    {
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time, _ => Silent);
        var events = new RecordingEvents();
        using var watcher = Watcher(runware, events, time, out _, silenceSeconds: 3);

        Assert.True(watcher.Watch("job-1", "task-1", 1));
        await AdvanceUntilAsync(time, () => watcher.Count == 0);

        // The job's own durable polls look the task up and decide; the watcher neither raises nor guesses.
        Assert.Empty(events.Raised);
        Assert.InRange(runware.Calls[^1], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6));
    }

    [Theory]
    [InlineData(2000, 100)] // a twentieth of 2 s is less than the 100 ms interval
    [InlineData(6000, 300)] // a twentieth of the expected time when that is longer
    public void NextWait_NearTheExpectedTime_PollsOftenToSeeTheResultSoonAfterItIsIn(int expectedMs, int waitMs)
    {
        var expected = TimeSpan.FromMilliseconds(expectedMs);
        var interval = TimeSpan.FromMilliseconds(100);

        Assert.Equal(TimeSpan.FromMilliseconds(waitMs), InferenceWatcher.NextWait(expected, expected, interval, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(waitMs), InferenceWatcher.NextWait(expected * 1.4, expected, interval, TimeSpan.FromMilliseconds(waitMs)));
    }

    [Fact]
    public void NextWait_SlowerThanUsual_WaitsHalfAsLongAgainEachTimeUpToTwoSeconds()
    {
        var expected = TimeSpan.FromSeconds(2);
        var interval = TimeSpan.FromMilliseconds(100);
        var elapsed = expected * 1.5;
        var waits = new List<double>();
        var wait = TimeSpan.FromMilliseconds(100);
        for (var i = 0; i < 10; i++)
        {
            wait = InferenceWatcher.NextWait(elapsed, expected, interval, wait);
            elapsed += wait;
            waits.Add(wait.TotalMilliseconds);
        }

        Assert.Equal([150, 225, 337.5, 506.25], waits.Take(4));
        Assert.Equal(2000, waits[^1]);

        // A poll interval longer than two seconds is kept as it is.
        Assert.Equal(TimeSpan.FromSeconds(5), InferenceWatcher.NextWait(elapsed, expected, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Watch_NoEventsOnThisHost_DoesNotWatch()
    {
        var time = new FakeTimeProvider();
        using var watcher = Watcher(new ScriptedRunware(time), events: null, time, out _);

        Assert.False(watcher.Enabled);
        Assert.False(watcher.Watch("job-1", "task-1", 1));
    }

    private static InferencePoll Silent => new(PollStatus.Silent, [], null, "getResponse answered HTTP 200, no entry for the task");

    private static InferenceWatcher Watcher(IRunwareClient runware, IOrchestrationEvents? events, FakeTimeProvider time, out InferenceSlots slots, int silenceSeconds = 60)
    {
        var options = Options.Create(new FluxOptions { PollInitialDelayMs = 1000, WatchPollIntervalMs = 250, TaskSilenceSeconds = silenceSeconds });
        slots = new InferenceSlots(options, time);
        return new InferenceWatcher(runware, slots, new InferenceTimings(time), options, NullLogger<InferenceWatcher>.Instance, events, time);
    }

    private static InferencePoll Success(string task) =>
        new(PollStatus.Success, [new GeneratedImage(task, "img-" + task, $"https://example.invalid/{task}.png", 42, 0.01, null)]);

    /// <summary>Moves the fake clock in 100 ms steps, giving the watcher real time between them, until the condition holds.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the watcher did not get there");
            await Task.Delay(5);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Answers getResponse from a script, one step per call, recording when (fake time since start) each came.</summary>
    private sealed class ScriptedRunware(FakeTimeProvider time, params Func<string, InferencePoll>[] script) : IRunwareClient
    {
        private readonly DateTimeOffset start = time.GetUtcNow();
        private readonly ConcurrentQueue<TimeSpan> calls = new();

        public IReadOnlyList<TimeSpan> Calls => [.. calls];

        public Task<InferencePoll> GetResponseAsync(string taskUuid, int expectedResults = 1, CancellationToken cancellationToken = default)
        {
            var index = calls.Count;
            calls.Enqueue(time.GetUtcNow() - start);
            return Task.FromResult(script[Math.Min(index, script.Length - 1)](taskUuid));
        }

        public Task<string> UploadImageAsync(string image, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SubmitOutcome> SubmitInferenceAsync(JsonObject task, bool inDoubt = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<TaskLookup> FindTaskAsync(string taskUuid, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<PreprocessResult> PreprocessAsync(JsonObject task, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<byte[]> DownloadAsync(Uri url, long maxBytes, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed class RecordingEvents : IOrchestrationEvents
    {
        private readonly ConcurrentQueue<(string JobId, string Name, object? Payload)> raised = new();

        public IReadOnlyList<(string JobId, string Name, object? Payload)> Raised => [.. raised];

        public Task RaiseAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
        {
            raised.Enqueue((instanceId, eventName, payload));
            return Task.CompletedTask;
        }
    }
}
