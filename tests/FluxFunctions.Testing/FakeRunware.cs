using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FluxFunctions.Runware;
using SkiaSharp;

namespace FluxFunctions.Testing;

/// <summary>An in-process Runware stand-in for orchestration tests that do not need the HTTP protocol.</summary>
public sealed class FakeRunware : IRunwareClient
{
    private readonly ConcurrentDictionary<string, (JsonObject Task, DateTimeOffset Done)> tasks = new();

    public ConcurrentQueue<JsonObject> Submitted { get; } = new();

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(300);

    public Task<string> UploadImageAsync(string image, CancellationToken cancellationToken = default) =>
        Task.FromResult(Guid.NewGuid().ToString());

    public Task<SubmitOutcome> SubmitInferenceAsync(JsonObject task, bool inDoubt = false, CancellationToken cancellationToken = default)
    {
        var id = (string)task["taskUUID"]!;
        if (!tasks.TryAdd(id, (task, DateTimeOffset.UtcNow + Latency)))
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
            return Task.FromResult(new InferencePoll(PollStatus.Silent, [], null, "no such task"));
        }

        if (DateTimeOffset.UtcNow < t.Done)
        {
            return Task.FromResult(new InferencePoll(PollStatus.Processing, []));
        }

        var n = (int?)t.Task["numberResults"] ?? 1;
        var images = Enumerable.Range(0, n).Select(i => new GeneratedImage(taskUuid, Guid.NewGuid().ToString(), $"https://fake.invalid/{(int)t.Task["width"]!}x{(int)t.Task["height"]!}/{i}.png", 1000 + i, 0.01, false)).ToList();
        return Task.FromResult(new InferencePoll(PollStatus.Success, images));
    }

    public Task<TaskLookup> FindTaskAsync(string taskUuid, CancellationToken cancellationToken = default) =>
        Task.FromResult(new TaskLookup(tasks.ContainsKey(taskUuid), "fake"));

    public Task<PreprocessResult> PreprocessAsync(JsonObject task, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PreprocessResult(Guid.NewGuid().ToString(), null, null, 0.001));

    public Task<byte[]> DownloadAsync(Uri url, long maxBytes, CancellationToken cancellationToken = default)
    {
        var size = url.Segments[1].TrimEnd('/').Split('x');
        using var bitmap = new SKBitmap(int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(size[1], System.Globalization.CultureInfo.InvariantCulture));
        bitmap.Erase(SKColors.Orange);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return Task.FromResult(data.ToArray());
    }
}
