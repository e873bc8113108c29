using FluxFunctions.Errors;

namespace FluxFunctions.Requests;

/// <summary>
/// The events a job may POST to its <c>callbackUrl</c> (<c>callbackEvents</c> in a request or options file): two progress
/// events, <see cref="Started"/> and <see cref="Inferring"/>, and the three terminal ones. Without <c>callbackEvents</c>
/// a job sends its terminal event only; with it, exactly the events listed.
/// </summary>
public static class CallbackEvents
{
    /// <summary>The field name errors carry.</summary>
    public const string Field = "callbackEvents";

    /// <summary>The job was picked up (HTTP) or its options were read (blob drop): preparation begins.</summary>
    public const string Started = "started";

    /// <summary>The job's first inference is running at Runware (once per job, whatever the resubmissions).</summary>
    public const string Inferring = "inferring";

    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    /// <summary>Every event, in the order a job can send them.</summary>
    public static IReadOnlyList<string> All { get; } = [Started, Inferring, Completed, Failed, Canceled];

    /// <summary>What a job without <c>callbackEvents</c> sends.</summary>
    public static IReadOnlyList<string> TerminalOnly { get; } = [Completed, Failed, Canceled];

    /// <summary>Whether <paramref name="name"/> is a terminal event.</summary>
    public static bool IsTerminal(string name) => name is Completed or Failed or Canceled;

    /// <summary>
    /// The events asked for, lower case in the order of <see cref="All"/>; null when none were given (terminal only). Adds an
    /// error naming the entry for an unknown name, a duplicate, an empty list, or a list without a <c>callbackUrl</c>.
    /// </summary>
    public static IReadOnlyList<string>? Check(IReadOnlyList<string>? names, string? callbackUrl, List<FluxError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (names is null)
        {
            return null;
        }

        var known = string.Join(", ", All);
        var before = errors.Count;
        if (names.Count == 0)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'{Field}' is empty: list at least one of {known}, or leave it out for the terminal event only.", Field));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var at = $"{Field}[{i}]";
            var name = names[i].Trim().ToLowerInvariant();
            if (!All.Contains(name))
            {
                var shown = names[i].Length <= 32 ? names[i] : names[i][..32] + "…";
                errors.Add(new FluxError(ErrorCodes.InvalidValue, $"Unknown callback event '{shown}' in '{at}': use {known}.", at));
            }
            else if (!seen.Add(name))
            {
                errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'{at}': '{name}' is listed twice; list each event once.", at));
            }
        }

        if (callbackUrl is null)
        {
            errors.Add(new FluxError(ErrorCodes.MissingField, $"'{Field}' needs a 'callbackUrl' to send the events to.", Field));
        }

        return errors.Count > before ? null : [.. All.Where(seen.Contains)];
    }
}
