using FluxFunctions.Emulator.Dialects;
using FluxFunctions.Emulator.Faults;
using FluxFunctions.Emulator.Protocol;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Configuration;

/// <summary>Checks every emulator setting on start; the failure lists each bad setting by its configuration key.</summary>
internal sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        Range(failures, nameof(options.LatencyMs), options.LatencyMs, 0, 3_600_000);
        Range(failures, nameof(options.RetryAfterSeconds), options.RetryAfterSeconds, 0, 86_400);
        Range(failures, nameof(options.HangMs), options.HangMs, 0, 3_600_000);
        Range(failures, nameof(options.FillDrift), options.FillDrift, 0, 64);
        Range(failures, nameof(options.MinDimension), options.MinDimension, 64, 8192);
        Range(failures, nameof(options.MaxDimension), options.MaxDimension, 64, 8192);
        Range(failures, nameof(options.MaxRecordedRequests), options.MaxRecordedRequests, 1, 1_000_000);
        Range(failures, nameof(options.MaxImages), options.MaxImages, 1, 1_000_000);
        Range(failures, nameof(options.MaxImageBytes), options.MaxImageBytes, 1L << 20, 1L << 40);
        Range(failures, nameof(options.MaxTasks), options.MaxTasks, 100, 10_000_000);
        Range(failures, nameof(options.MaxRequestBytes), options.MaxRequestBytes, 1L << 10, 2L << 30);
        Range(failures, nameof(options.DownloadTimeoutSeconds), options.DownloadTimeoutSeconds, 1, 600);
        Range(failures, nameof(options.MaxDownloadBytes), options.MaxDownloadBytes, 1L << 10, 1L << 30);
        Range(failures, nameof(options.VisibleAfterMs), options.VisibleAfterMs, 0, 3_600_000);
        Range(failures, nameof(options.ResultTtlSeconds), options.ResultTtlSeconds, 1, 31_536_000);
        Choice(failures, nameof(options.UnknownTask), options.UnknownTask, UnknownTaskDialects.Names);
        Choice(failures, nameof(options.DuplicateTask), options.DuplicateTask, DuplicateTaskDialects.Names);
        Choice(failures, nameof(options.WebhookShape), options.WebhookShape, WebhookShapes.Names);
        Range(failures, nameof(options.FlagEvery), options.FlagEvery, 0, 1000);
        Range(failures, nameof(options.RoundTripMs), options.RoundTripMs, 0, NetworkDistance.MaxRoundTripMs);
        Choice(failures, nameof(options.FlaggedAnswer), options.FlaggedAnswer, FlaggedAnswers.Names);

        if (options.MinDimension % 64 != 0)
        {
            failures.Add($"{Key(nameof(options.MinDimension))} must be a multiple of 64 (got {options.MinDimension}).");
        }

        if (options.MaxDimension % 64 != 0)
        {
            failures.Add($"{Key(nameof(options.MaxDimension))} must be a multiple of 64 (got {options.MaxDimension}).");
        }

        if (options.MinDimension > options.MaxDimension)
        {
            failures.Add($"{Key(nameof(options.MinDimension))} ({options.MinDimension}) must not exceed {Key(nameof(options.MaxDimension))} ({options.MaxDimension}).");
        }

        if (!FaultPlan.TryParse(options.Faults, out _, out var faultError))
        {
            failures.Add($"{Key(nameof(options.Faults))} is invalid: {faultError}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{EmulatorOptions.Section}:{property}";

    private static void Choice<T>(List<string> failures, string property, string? value, NamedValues<T> names)
        where T : struct, Enum
    {
        if (!names.TryParse(value, out _))
        {
            var shown = value is null ? "nothing" : $"'{(value.Length > 40 ? value[..40] + "…" : value)}'";
            failures.Add($"{Key(property)} must be one of {names.Accepted} (got {shown}).");
        }
    }

    private static void Range(List<string> failures, string property, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Key(property)} must be between {min} and {max} (got {value}).");
        }
    }
}
