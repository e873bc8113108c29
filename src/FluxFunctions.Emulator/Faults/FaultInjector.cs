using FluxFunctions.Emulator.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Faults;

/// <summary>The fault decided for one request: none, forced by header, drawn by rate, or an invalid header.</summary>
/// <param name="Kind">The fault to inject.</param>
/// <param name="InvalidHeader">The <c>x-emulator-fault</c> value that could not be parsed, if any.</param>
internal sealed record FaultDecision(FaultKind Kind, string? InvalidHeader = null);

/// <summary>
/// Decides per HTTP request whether to inject a fault: the <c>x-emulator-fault</c> header forces one, otherwise
/// a draw from a (optionally seeded, hence reproducible) random generator against the configured rates.
/// </summary>
internal sealed class FaultInjector
{
    /// <summary>The request header that forces a fault.</summary>
    public const string Header = "x-emulator-fault";

    private readonly FaultPlan plan;
    private readonly Random random;
    private readonly Lock gate = new();

    public FaultInjector(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        plan = FaultPlan.TryParse(settings.Faults, out var parsed, out _) ? parsed : FaultPlan.Empty;
        random = settings.Seed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>The configured rates.</summary>
    public FaultPlan Plan => plan;

    /// <summary>Decides the fault of one request from its <c>x-emulator-fault</c> header value (may be null).</summary>
    public FaultDecision Decide(string? headerValue)
    {
        if (!string.IsNullOrWhiteSpace(headerValue))
        {
            return FaultNames.TryParse(headerValue, out var forced)
                ? new FaultDecision(forced)
                : new FaultDecision(FaultKind.None, headerValue);
        }

        if (plan.Rates.Count == 0)
        {
            return new FaultDecision(FaultKind.None);
        }

        double draw;
        lock (gate)
        {
            draw = random.NextDouble();
        }

        return new FaultDecision(plan.Pick(draw));
    }
}
