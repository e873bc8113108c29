using Spectre.Console;

namespace FluxFunctions.Cli;

/// <summary>
/// What a run of <c>flux</c> writes to and reads from: the output and error writers, whether a live display may be drawn
/// (standard output is a terminal), the environment (<c>FLUX_URL</c>, <c>FLUX_KEY</c>) and the poll interval. Tests build
/// one over string writers and a dictionary; <see cref="FromProcess"/> is the real console.
/// </summary>
public sealed class CliHost
{
    /// <summary>Standard output: results (human text or the <c>--json</c> document) and, when interactive, the live display.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: error messages and hints.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>
    /// Whether a live progress display (spinner, progress bar, refreshing table) may be drawn on <see cref="Out"/>: true for
    /// a terminal; false when the output is redirected (then no ANSI sequence is ever written) or with <c>--json</c>.
    /// </summary>
    public bool Interactive { get; init; }

    /// <summary>ANSI support of <see cref="Out"/> when <see cref="Interactive"/> (colors, cursor movement).</summary>
    public AnsiSupport Ansi { get; init; } = AnsiSupport.Detect;

    /// <summary>Reads an environment variable (<c>FLUX_URL</c>, <c>FLUX_KEY</c>).</summary>
    public Func<string, string?> Environment { get; init; } = _ => null;

    /// <summary>How often a job's status is read while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The real console: interactive when standard output is a terminal (and TERM is not <c>dumb</c>).</summary>
    public static CliHost FromProcess()
    {
        var terminal = !Console.IsOutputRedirected && !string.Equals(System.Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new CliHost
        {
            Out = Console.Out,
            Error = Console.Error,
            Interactive = terminal,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            Environment = System.Environment.GetEnvironmentVariable,
        };
    }

    /// <summary>A Spectre console over <see cref="Out"/>: with colors and cursor control only when interactive.</summary>
    internal IAnsiConsole CreateConsole(bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? Ansi : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        if (!interactive)
        {
            // Plain output is for logs and scripts: never wrap a path or an id at an imagined terminal width.
            console.Profile.Width = 4096;
        }

        return console;
    }
}
