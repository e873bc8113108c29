using System.CommandLine;

namespace FluxFunctions.Cli.Commands;

/// <summary>Options every command takes (given before or after the command name): where the API is, the key, JSON output.</summary>
internal sealed class CommonOptions
{
    public const string UrlVariable = "FLUX_URL";
    public const string KeyVariable = "FLUX_KEY";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"Base URL of the API, e.g. http://localhost:7071 (default: ${UrlVariable})",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"API key, sent as x-functions-key (default: ${KeyVariable})",
        HelpName = "key",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON document on standard output (no progress display); errors as {\"error\": …}",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Url, Key, Json];
}
