using FluxFunctions.Requests;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Configuration;

/// <summary>
/// <c>Flux:Safety:Check</c> and <c>Flux:Safety:OnFlagged</c> are one of their names (the same names a job's
/// <c>safety</c> takes), and the quarantine container is not one of the others.
/// </summary>
internal sealed class SafetyOptionsValidator : IValidateOptions<FluxOptions>
{
    public ValidateOptionsResult Validate(string? name, FluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var safety = options.Safety;
        if (!SafetySpec.CheckNames.ContainsKey(safety.Check?.Trim() ?? ""))
        {
            failures.Add($"Flux:Safety:Check must be one of {string.Join(", ", SafetySpec.CheckNames.Keys)} (got '{Clip(safety.Check)}').");
        }

        if (!SafetySpec.ActionNames.ContainsKey(safety.OnFlagged?.Trim() ?? ""))
        {
            failures.Add($"Flux:Safety:OnFlagged must be one of {string.Join(", ", SafetySpec.ActionNames.Keys)} (got '{Clip(safety.OnFlagged)}').");
        }

        var others = new[] { options.InputContainer, options.OutputContainer, options.FailedContainer, options.WorkContainer };
        if (others.Contains(options.QuarantineContainer, StringComparer.Ordinal))
        {
            failures.Add($"Flux:QuarantineContainer ('{options.QuarantineContainer}') must differ from the input, output, failed and work containers: flagged results must not sit beside the others.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Clip(string? s) => s is null ? "" : s.Length <= 40 ? s : s[..40] + "…";
}
