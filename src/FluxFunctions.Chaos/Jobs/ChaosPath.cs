namespace FluxFunctions.Chaos.Jobs;

/// <summary>
/// How the runner learns an inference's result in a chaos scenario: <c>watch</c>, the defaults (the submitting activity
/// watches the task in process, then durable polls that each watch a while), or <c>poll</c>, the plain durable path
/// (no in-process watching: one <c>getResponse</c> per durable poll, a timer between polls).
/// </summary>
/// <param name="Name">As given to <c>--paths</c> and printed in the summary.</param>
/// <param name="Settings">The runner settings that make the path.</param>
internal sealed record ChaosPath(string Name, IReadOnlyDictionary<string, string> Settings)
{
    public static ChaosPath Watch { get; } = new("watch", new Dictionary<string, string>());

    public static ChaosPath Poll { get; } = new("poll", new Dictionary<string, string>
    {
        ["Flux__InferenceWatchSeconds"] = "0",
        ["Flux__PollWatchSeconds"] = "0",
    });

    /// <summary>The path of that name.</summary>
    /// <exception cref="ArgumentException">Neither <c>watch</c> nor <c>poll</c>.</exception>
    public static ChaosPath Named(string name) => name.Trim().ToLowerInvariant() switch
    {
        "watch" => Watch,
        "poll" => Poll,
        _ => throw new ArgumentException($"unknown path '{name}' (watch, poll)", nameof(name)),
    };

    /// <summary>The runner settings of <paramref name="baseSettings"/> with this path's on top.</summary>
    public Dictionary<string, string> Over(IReadOnlyDictionary<string, string>? baseSettings)
    {
        var merged = new Dictionary<string, string>(baseSettings ?? new Dictionary<string, string>());
        foreach (var (k, v) in Settings)
        {
            merged[k] = v;
        }

        return merged;
    }
}
