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

    private readonly FaultPlan configured;
    private readonly Random random;
    private readonly Lock gate = new();

    public FaultInjector(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        configured = FaultPlan.TryParse(settings.Faults, out var parsed, out _) ? parsed : FaultPlan.Empty;
        plan = configured;
        random = settings.Seed is { } seed ? new Random(seed) : new Random();
    }

    private volatile FaultPlan plan;

    /// <summary>The rates in force: the configured ones, or those set at run time by <see cref="Replace"/>.</summary>
    public FaultPlan Plan => plan;

    /// <summary>Replaces the rates at run time (<c>PUT /emulator/faults</c>), e.g. a burst of <c>500:1</c> for a chaos test.</summary>
    public void Replace(FaultPlan rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        plan = rates;
    }

    /// <summary>Goes back to the configured rates (<c>DELETE /emulator/faults</c>).</summary>
    public void Restore() => plan = configured;

    /// <summary>Decides the fault of one request from its <c>x-emulator-fault</c> header value (may be null).</summary>
    public FaultDecision Decide(string? headerValue)
    {
        if (!string.IsNullOrWhiteSpace(headerValue))
        {
            return FaultNames.TryParse(headerValue, out var forced)
                ? new FaultDecision(forced)
                : new FaultDecision(FaultKind.None, headerValue);
        }

        var rates = plan;
        if (rates.Rates.Count == 0)
        {
            return new FaultDecision(FaultKind.None);
        }

        double draw;
        lock (gate)
        {
            draw = random.NextDouble();
        }

        return new FaultDecision(rates.Pick(draw));
    }
}
