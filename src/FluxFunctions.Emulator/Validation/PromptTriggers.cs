using System.Globalization;
using System.Text.RegularExpressions;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Validation;

/// <summary>Test triggers written into <c>positivePrompt</c> (protocol §7).</summary>
internal static partial class PromptTriggers
{
    /// <summary>Rejects the task with <c>invalidPositivePrompt</c>.</summary>
    public const string Reject = "emulator:reject";

    /// <summary>Accepts the inference, which then ends with an error.</summary>
    public const string Fail = "emulator:fail";

    /// <summary>Acknowledges the async inference, then never runs it and forgets it.</summary>
    public const string Forget = "emulator:forget";

    /// <summary>Like <see cref="Forget"/> the first time the taskUUID is submitted; a resubmission runs.</summary>
    public const string ForgetOnce = "emulator:forget-once";

    /// <summary>Rejects the inference with HTTP 402 <c>insufficientCredits</c>.</summary>
    public const string NoCredit = "emulator:no-credit";

    /// <summary>Rejects the inference with HTTP 403 <c>accessDenied</c>.</summary>
    public const string Forbidden = "emulator:forbidden";

    private static readonly (string Trigger, AccountError Error)[] AccountTriggers =
        [(NoCredit, AccountError.NoCredit), (Forbidden, AccountError.Forbidden)];

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

    /// <summary>The forget trigger in the prompt (<see cref="Forget"/> or <see cref="ForgetOnce"/>), if any.</summary>
    public static ForgetTrigger ForgetOf(string prompt)
    {
        var match = ForgetPattern().Match(prompt);
        return !match.Success ? ForgetTrigger.None : match.Groups[1].Success ? ForgetTrigger.Once : ForgetTrigger.Always;
    }

    /// <summary>The account problem a trigger in the prompt asks for (<see cref="NoCredit"/>, <see cref="Forbidden"/>), if any.</summary>
    public static AccountError? AccountErrorOf(string prompt) =>
        AccountTriggers.FirstOrDefault(t => prompt.Contains(t.Trigger, StringComparison.OrdinalIgnoreCase)).Error;

    [GeneratedRegex(@"emulator:slow=(\d{1,7})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SlowPattern();

    [GeneratedRegex(@"emulator:forget(-once)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForgetPattern();
}
