namespace FluxFunctions.Cli.Jobs;

/// <summary>The stages a job goes through (the <c>stage</c> field), in order, for progress displays.</summary>
internal static class Stages
{
    private static readonly string[] Order =
    [
        "queued", "waiting-for-companions", "preparing", "submitting", "inferring", "storing", "notifying",
        "completed",
    ];

    /// <summary>The number of steps a progress bar has.</summary>
    public static int Count => Order.Length - 1;

    /// <summary>The position of <paramref name="stage"/> (0 = queued, <see cref="Count"/> = completed), or null for an unknown stage.</summary>
    public static int? IndexOf(string? stage)
    {
        var index = Array.IndexOf(Order, stage);
        return index < 0 ? null : index;
    }
}
