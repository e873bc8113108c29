using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;
using FluxFunctions.Runware;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>The in-activity watch's own rules, on a fake clock: when it polls, and when it stops.</summary>
public sealed class ResultWatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task WatchAsync_PollRefusedWithRetryAfter_NextPollWaitsForIt()
    {
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time,
            _ => throw new TransientFluxException("429 after the client's retries") { RetryAfter = TimeSpan.FromSeconds(5) },
            Success);

        var watched = await RunAsync(time, runware, TimeSpan.FromSeconds(30));

        // The refused poll came no sooner than the initial delay (nothing learned yet); the next one not before
        // Retry-After, though four poll intervals (1 s) had long passed.
        Assert.Equal(PollStatus.Success, watched.Last!.Status);
        Assert.Equal(2, runware.Calls.Count);
        Assert.True(runware.Calls[0] >= TimeSpan.FromSeconds(1), $"first poll after {runware.Calls[0]}");
        Assert.True(runware.Calls[1] - runware.Calls[0] >= TimeSpan.FromSeconds(5), $"polled again after {runware.Calls[1] - runware.Calls[0]}");
    }

    [Fact]
    public async Task WatchAsync_SilentThenProcessingThenDone_KeepsWatchingToTheResult()
    {
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time, _ => Silent, _ => Silent, _ => new InferencePoll(PollStatus.Processing, []), Success);

        var watched = await RunAsync(time, runware, TimeSpan.FromSeconds(30));

        // A silent answer is no outcome: the task is still watched.
        Assert.Equal(PollStatus.Success, watched.Last!.Status);
        Assert.Equal(4, runware.Calls.Count);
    }

    [Fact]
    public async Task WatchAsync_SilentForTheSilenceTime_StopsSilentWithHowLong()
    {
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time, _ => Silent);

        var watched = await RunAsync(time, runware, TimeSpan.FromSeconds(30), silenceSeconds: 3);

        Assert.Equal(PollStatus.Silent, watched.Last!.Status);
        Assert.InRange(watched.SilentForMs, 3000, 6000);
        Assert.InRange(runware.Calls[^1], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task WatchAsync_StillProcessingWhenTheTimeIsUp_ReturnsProcessing()
    {
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time, _ => new InferencePoll(PollStatus.Processing, []));

        var watched = await RunAsync(time, runware, TimeSpan.FromSeconds(4));

        Assert.Equal(PollStatus.Processing, watched.Last!.Status);
        Assert.Equal(0, watched.SilentForMs);
        Assert.True(runware.Calls[^1] <= TimeSpan.FromSeconds(4));
    }

    [Theory]
    [InlineData(2000, 100)] // a twentieth of 2 s is less than the 100 ms interval
    [InlineData(6000, 300)] // a twentieth of the expected time when that is longer
    public void NextWait_NearTheExpectedTime_PollsOftenToSeeTheResultSoonAfterItIsIn(int expectedMs, int waitMs)
    {
        var expected = TimeSpan.FromMilliseconds(expectedMs);
        var interval = TimeSpan.FromMilliseconds(100);

        Assert.Equal(TimeSpan.FromMilliseconds(waitMs), ResultWatch.NextWait(expected * 1.1, expected, interval, TimeSpan.FromMilliseconds(25)));
        Assert.Equal(TimeSpan.FromMilliseconds(waitMs), ResultWatch.NextWait(expected * 1.4, expected, interval, TimeSpan.FromMilliseconds(waitMs)));
    }

    [Theory]
    [InlineData(2000, 12.5)] // an eighth of the 100 ms interval
    [InlineData(6000, 37.5)] // a hundred-and-sixtieth of the expected time when that is longer
    public void NextWait_SteadyInferences_PollTwiceAsOftenJustAfterTheExpectedTimeOnly(int expectedMs, double waitMs)
    {
        var expected = TimeSpan.FromMilliseconds(expectedMs);
        var interval = TimeSpan.FromMilliseconds(100);

        Assert.Equal(TimeSpan.FromMilliseconds(waitMs), ResultWatch.NextWait(expected, expected, interval, TimeSpan.Zero, steady: true));
        Assert.Equal(TimeSpan.FromMilliseconds(waitMs * 2), ResultWatch.NextWait(expected, expected, interval, TimeSpan.Zero, steady: false));

        // Past the close window, and for a durable poll's watch, steadiness changes nothing.
        Assert.Equal(ResultWatch.NextWait(expected * 1.2, expected, interval, TimeSpan.Zero), ResultWatch.NextWait(expected * 1.2, expected, interval, TimeSpan.Zero, steady: true));
        Assert.Equal(ResultWatch.NextWait(expected, expected, interval, TimeSpan.Zero, aimed: false), ResultWatch.NextWait(expected, expected, interval, TimeSpan.Zero, aimed: false, steady: true));
    }

    [Theory]
    [InlineData(2000, 25)] // a quarter of the 100 ms interval
    [InlineData(6000, 75)] // an eightieth of the expected time when that is longer
    public void NextWait_JustAfterAFirstPollThatCameTooEarly_PollsFourTimesAsOftenAtMostEightTimes(int expectedMs, int waitMs)
    {
        var expected = TimeSpan.FromMilliseconds(expectedMs);
        var interval = TimeSpan.FromMilliseconds(100);
        var elapsed = expected;
        var polls = 0;
        while (elapsed < expected * 1.1)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(waitMs), ResultWatch.NextWait(elapsed, expected, interval, TimeSpan.Zero));
            elapsed += TimeSpan.FromMilliseconds(waitMs);
            polls++;
        }

        // Where most results land (a tenth past the expected time), then the usual interval.
        Assert.Equal(8, polls);
        Assert.Equal(TimeSpan.FromMilliseconds(Math.Max(100, expectedMs / 20)), ResultWatch.NextWait(elapsed, expected, interval, TimeSpan.FromMilliseconds(waitMs)));
    }

    [Fact]
    public async Task WatchAsync_ADurablePollsWatch_PollsAtTheUsualIntervalFromItsStart()
    {
        // A durable poll watches long after the submission, its first poll at once: its elapsed time says nothing about
        // the expected finish, so no close polling (that made the poll path 22 polls per inference).
        var time = new FakeTimeProvider();
        var runware = new ScriptedRunware(time, _ => new InferencePoll(PollStatus.Processing, []));

        await RunAsync(time, runware, TimeSpan.FromSeconds(1), firstPoll: TimeSpan.Zero);

        // At 0, 250, 500, 750 and 1000 ms (the 250 ms interval), not every 62.5 ms.
        Assert.InRange(runware.Calls.Count, 4, 5);
    }

    [Fact]
    public void PollSchedule_DurablePolls_KeepTheirIntervalRightAfterTheExpectedTime()
    {
        // Each durable poll is a timer and an activity: the close window is the in-process watch's only.
        var expected = TimeSpan.FromSeconds(2);
        var near = TimeSpan.FromMilliseconds(250);

        Assert.Equal(near, PollSchedule.Next(expected, expected, near, TimeSpan.Zero, TimeSpan.FromSeconds(8)));
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
            wait = ResultWatch.NextWait(elapsed, expected, interval, wait);
            elapsed += wait;
            waits.Add(wait.TotalMilliseconds);
        }

        Assert.Equal([150, 225, 337.5, 506.25], waits.Take(4));
        Assert.Equal(2000, waits[^1]);

        // A poll interval longer than two seconds is kept as it is.
        Assert.Equal(TimeSpan.FromSeconds(5), ResultWatch.NextWait(elapsed, expected, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WatchAsync_ColdHostFoundTheResultAfterMisses_NextFirstPollComesWhenItWasLastSeenRunning()
    {
        // Nothing learned yet: the first poll comes after the initial delay (1 s) and misses a 2 s inference; the result is
        // found by a later poll. The next inference's first poll moves up to when this one was last seen still running,
        // not a small step from 1 s (about fifteen inferences to climb to 2 s, each result waiting for the slower polls).
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var runware = new ScriptedRunware(time, task => time.GetUtcNow() - start < TimeSpan.FromSeconds(2) ? new InferencePoll(PollStatus.Processing, []) : Success(task));
        var timings = new InferenceTimings(time);
        timings.Submitted("task-1");

        var watched = await RunAsync(time, runware, TimeSpan.FromSeconds(30), timings: timings);

        Assert.Equal(PollStatus.Success, watched.Last!.Status);
        Assert.InRange(runware.Calls[0], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.1));
        Assert.InRange(timings.ExpectedMs(), (int)runware.Calls[^2].TotalMilliseconds - 100, 2000);
        Assert.True(timings.ExpectedMs() >= 1700, $"next first poll after {timings.ExpectedMs()} ms");
    }

    private static InferencePoll Silent => new(PollStatus.Silent, [], null, "getResponse answered HTTP 200, no entry for the task");

    private static InferencePoll Success(string task) =>
        new(PollStatus.Success, [new GeneratedImage(task, "img-" + task, $"https://example.invalid/{task}.png", 42, 0.01, null)]);

    /// <summary>Runs the watch while moving the fake clock in 100 ms steps, giving it real time between them.</summary>
    private static async Task<Watched> RunAsync(FakeTimeProvider time, IRunwareClient runware, TimeSpan watchFor, int silenceSeconds = 60, TimeSpan? firstPoll = null, InferenceTimings? timings = null)
    {
        var options = Options.Create(new FluxOptions { PollInitialDelayMs = 1000, WatchPollIntervalMs = 250, TaskSilenceSeconds = silenceSeconds });
        var watch = new ResultWatch(runware, timings ?? new InferenceTimings(time), options, NullLogger<ResultWatch>.Instance, time);
        var running = watch.WatchAsync("task-1", 1, watchFor, firstPoll, CancellationToken.None);
        var deadline = DateTime.UtcNow + Patience;
        while (!running.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the watch did not end");
            await Task.Delay(5);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        return await running;
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
}
