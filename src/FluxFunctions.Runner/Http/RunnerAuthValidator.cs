using FluxFunctions.Core.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Runner.Http;

/// <summary>
/// Refuses to start a runner whose HTTP API would be open by accident: at least one key (<c>Flux__ApiKeys__0</c>, …, each
/// at least <see cref="MinKeyLength"/> characters) or an explicit <c>Flux__AllowAnonymous=true</c>.
/// </summary>
public sealed class RunnerAuthValidator : IValidateOptions<FluxOptions>
{
    /// <summary>Shortest key accepted (a Function App's keys are far longer).</summary>
    public const int MinKeyLength = 12;

    public ValidateOptionsResult Validate(string? name, FluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var keys = options.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (keys.Count == 0 && !options.AllowAnonymous)
        {
            failures.Add(
                "No HTTP API key is configured: set Flux__ApiKeys__0 (and __1, … for more keys) to a random secret of at least " +
                $"{MinKeyLength} characters, e.g. `openssl rand -hex 24`; or set Flux__AllowAnonymous=true to serve the API without a key (local development only).");
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (!string.IsNullOrWhiteSpace(key) && key.Trim().Length < MinKeyLength)
            {
                failures.Add($"Flux__ApiKeys__{i} is shorter than {MinKeyLength} characters; use a longer random secret.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
