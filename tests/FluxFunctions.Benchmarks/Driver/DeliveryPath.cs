namespace FluxFunctions.Benchmarks.Driver;

/// <summary>
/// One way a job gets its inference's result, measured side by side: the submitting activity watches it (the default,
/// both hosts), durable polls only (what the Functions app does with <c>Flux__InferenceWatchSeconds=0</c>), or Runware's
/// webhook with polls as the fallback. Each with its own targets (issues #15, #21, #22).
/// </summary>
/// <param name="Name">Short name for figures and options.</param>
/// <param name="Description">What the runner does on this path.</param>
/// <param name="OverheadMedianTarget">Overhead median target, seconds.</param>
/// <param name="EfficiencyTarget">Efficiency target (ideal / makespan).</param>
/// <param name="Settings">The runner's settings for the path, given the runner's own address.</param>
internal sealed record DeliveryPath(string Name, string Description, double OverheadMedianTarget, double EfficiencyTarget, Func<Uri, IReadOnlyDictionary<string, string>> Settings)
{
    /// <summary>The webhook secret of the webhook path (a bench-only value).</summary>
    private const string Secret = "bench-webhook-secret-0123456789abcdef";

    public static IReadOnlyList<DeliveryPath> All { get; } =
    [
        new("watch", "the submitting activity watches the inference", 0.20, 0.97, _ => new Dictionary<string, string>()),
        new("poll", "durable polls only (Flux__InferenceWatchSeconds=0)", 1.50, 0.75, _ => new Dictionary<string, string> { ["Flux__InferenceWatchSeconds"] = "0" }),
        new("webhook", "Runware's webhook, a durable poll as fallback", 1.50, 0.85, self => new Dictionary<string, string>
        {
            ["Runware__WebhookBaseUrl"] = self.ToString(),
            ["Flux__WebhookSecret"] = Secret,
        }),
    ];

    public static DeliveryPath Named(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"No path '{name}': {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
}
