namespace FluxFunctions.Emulator.Configuration;

/// <summary>
/// A named set of answers to the questions Runware's docs leave open (README, "Dialects"), so tests, the chaos run and
/// the bench can run the pipeline against each plausible Runware, not only against this emulator's first reading.
/// </summary>
/// <param name="Name">The profile's name.</param>
/// <param name="UnknownTask"><see cref="EmulatorOptions.UnknownTask"/>.</param>
/// <param name="DuplicateTask"><see cref="EmulatorOptions.DuplicateTask"/>.</param>
/// <param name="WebhookShape"><see cref="EmulatorOptions.WebhookShape"/>.</param>
/// <param name="VisibleAfterMs"><see cref="EmulatorOptions.VisibleAfterMs"/>.</param>
public sealed record EmulatorDialect(string Name, string UnknownTask, string DuplicateTask, string WebhookShape, int VisibleAfterMs)
{
    /// <summary>Errors for what it does not know (<c>taskNotFound</c>), duplicates refused, one webhook per result.</summary>
    public static EmulatorDialect Strict { get; } = new("strict", "taskNotFound", "reject", "perResult", 0);

    /// <summary>Says nothing: HTTP 200 <c>{"data":[]}</c> for a task it does not know (or does not show yet, for 300 ms),
    /// duplicates run and charged again, one webhook per task.</summary>
    public static EmulatorDialect Quiet { get; } = new("quiet", "empty", "accept", "perTask", 300);

    /// <summary>HTTP 400 with codes nobody lists: <c>invalidParameter</c> for an unknown task, <c>conflictTaskUUID</c> for a duplicate.</summary>
    public static EmulatorDialect Coded { get; } = new("coded", "http400", "rejectOtherCode", "perResult", 0);

    /// <summary>What the official SDKs expect: <c>taskFailedOrNotFound</c>; HTTP 404 is covered by the client's own tests.</summary>
    public static EmulatorDialect Sdk { get; } = new("sdk", "taskFailedOrNotFound", "rejectOtherCode", "perTask", 0);

    /// <summary>Every profile.</summary>
    public static IReadOnlyList<EmulatorDialect> All { get; } = [Strict, Quiet, Coded, Sdk];

    /// <summary>Whether a repeated taskUUID is refused (so a job can never pay twice).</summary>
    public bool RefusesDuplicates => DuplicateTask != "accept";

    /// <summary>The profile named <paramref name="name"/>.</summary>
    public static EmulatorDialect Named(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No dialect '{name}'; use one of {string.Join(", ", All.Select(d => d.Name))}.", nameof(name));

    /// <summary>Sets the profile's answers on <paramref name="options"/>.</summary>
    public void ApplyTo(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UnknownTask = UnknownTask;
        options.DuplicateTask = DuplicateTask;
        options.WebhookShape = WebhookShape;
        options.VisibleAfterMs = VisibleAfterMs;
    }

    /// <summary>The profile as environment settings of an emulator process (<c>Emulator__*</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["Emulator__UnknownTask"] = UnknownTask,
        ["Emulator__DuplicateTask"] = DuplicateTask,
        ["Emulator__WebhookShape"] = WebhookShape,
        ["Emulator__VisibleAfterMs"] = VisibleAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public override string ToString() => Name;
}
