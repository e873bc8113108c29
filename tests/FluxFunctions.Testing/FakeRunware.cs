using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Runware;
using FluxFunctions.Testing.Api;
using SkiaSharp;

namespace FluxFunctions.Testing;

/// <summary>
/// An in-process Runware stand-in for orchestration and API tests that do not need the HTTP protocol. Result and guide
/// URLs (<c>https://fake.invalid/{w}x{h}/…</c>) download as orange images of that size.
/// </summary>
public sealed class FakeRunware : IRunwareClient
{
    private readonly ConcurrentDictionary<string, (JsonObject Task, DateTimeOffset Done)> tasks = new();

    public ConcurrentQueue<JsonObject> Submitted { get; } = new();

    public ConcurrentQueue<JsonObject> Preprocessed { get; } = new();

    /// <summary>How long an inference takes.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Prompts containing this marker take <see cref="SlowLatency"/> instead (to test cancellation).</summary>
    public const string SlowMarker = "[slow]";

    public TimeSpan SlowLatency { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Prompts containing this marker fail on Runware's side (an error result from getResponse).</summary>
    public const string FailMarker = "[fail]";

    public Task<string> UploadImageAsync(string image, CancellationToken cancellationToken = default) =>
        Task.FromResult(Guid.NewGuid().ToString());

    public Task<SubmitOutcome> SubmitInferenceAsync(JsonObject task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var id = (string)task["taskUUID"]!;
        var slow = ((string?)task["positivePrompt"])?.Contains(SlowMarker, StringComparison.Ordinal) == true;
        if (!tasks.TryAdd(id, (task, DateTimeOffset.UtcNow + (slow ? SlowLatency : Latency))))
        {
            return Task.FromResult(SubmitOutcome.AlreadyKnown);
        }

        Submitted.Enqueue(task);
        return Task.FromResult(SubmitOutcome.Accepted);
    }

    public Task<InferencePoll> GetResponseAsync(string taskUuid, int expectedResults = 1, CancellationToken cancellationToken = default)
    {
        if (!tasks.TryGetValue(taskUuid, out var t))
        {
            return Task.FromResult(new InferencePoll(PollStatus.Unknown, []));
        }

        if (DateTimeOffset.UtcNow < t.Done)
        {
            return Task.FromResult(new InferencePoll(PollStatus.Processing, []));
        }

        if (((string?)t.Task["positivePrompt"])?.Contains(FailMarker, StringComparison.Ordinal) == true)
        {
            return Task.FromResult(new InferencePoll(PollStatus.Error, [], new RunwareError("invalidPositivePrompt", "The prompt was refused by the content filter.", "positivePrompt")));
        }

        var n = (int?)t.Task["numberResults"] ?? 1;
        var images = Enumerable.Range(0, n).Select(i => new GeneratedImage(taskUuid, Guid.NewGuid().ToString(), $"https://fake.invalid/{(int)t.Task["width"]!}x{(int)t.Task["height"]!}/{i}.png", 1000 + i, 0.01, false)).ToList();
        return Task.FromResult(new InferencePoll(PollStatus.Success, images));
    }

    public Task<PreprocessResult> PreprocessAsync(JsonObject task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        Preprocessed.Enqueue(task);
        var w = (int?)task["width"] ?? 512;
        var h = (int?)task["height"] ?? 512;
        return Task.FromResult(new PreprocessResult(Guid.NewGuid().ToString(), $"https://fake.invalid/{w}x{h}/guide.png", null, 0.001));
    }

    public Task<byte[]> DownloadAsync(Uri url, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var size = url.Segments[1].TrimEnd('/').Split('x');
        return Task.FromResult(ApiImages.Png(int.Parse(size[0], CultureInfo.InvariantCulture), int.Parse(size[1], CultureInfo.InvariantCulture), SKColors.Orange));
    }
}
