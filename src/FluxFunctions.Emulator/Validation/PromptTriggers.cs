using System.Globalization;
using System.Text.RegularExpressions;

namespace FluxFunctions.Emulator.Validation;

/// <summary>Test triggers written into <c>positivePrompt</c> (protocol §7).</summary>
internal static partial class PromptTriggers
{
    /// <summary>Rejects the task with <c>invalidPositivePrompt</c>.</summary>
    public const string Reject = "emulator:reject";

    /// <summary>Accepts the inference, which then ends with an error.</summary>
    public const string Fail = "emulator:fail";

    /// <summary>True when the prompt holds <see cref="Reject"/>.</summary>
    public static bool Rejects(string prompt) => prompt.Contains(Reject, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the prompt holds <see cref="Fail"/>.</summary>
    public static bool Fails(string prompt) => prompt.Contains(Fail, StringComparison.OrdinalIgnoreCase);

    /// <summary>The duration of <c>emulator:slow=NNNN</c> in ms, if present.</summary>
    public static int? SlowMs(string prompt)
    {
        var match = SlowPattern().Match(prompt);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"emulator:slow=(\d{1,7})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SlowPattern();
}
