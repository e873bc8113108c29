using System.Globalization;

namespace FluxFunctions.Emulator.Faults;

/// <summary>Fault rates parsed from <c>Emulator:Faults</c>, e.g. <c>429:0.1,500:0.05,hang:0.01</c>.</summary>
internal sealed class FaultPlan
{
    private FaultPlan(IReadOnlyList<(FaultKind Kind, double Rate)> rates) => Rates = rates;

    /// <summary>No faults.</summary>
    public static FaultPlan Empty { get; } = new([]);

    /// <summary>Each configured kind and its rate per request (0–1), in the order given.</summary>
    public IReadOnlyList<(FaultKind Kind, double Rate)> Rates { get; }

    /// <summary>Parses the setting; empty or blank text means no faults.</summary>
    /// <param name="text">The setting value.</param>
    /// <param name="plan">The parsed plan, or <see cref="Empty"/> on failure.</param>
    /// <param name="error">What is wrong and how to write it instead, on failure.</param>
    public static bool TryParse(string? text, out FaultPlan plan, out string? error)
    {
        plan = Empty;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var rates = new List<(FaultKind, double)>();
        var total = 0.0;
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (entry.Length == 0)
            {
                error = $"empty entry in '{text}'; write kind:rate pairs separated by commas, e.g. 429:0.1,500:0.05.";
                return false;
            }

            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == entry.Length - 1)
            {
                error = $"'{entry}' is not kind:rate (e.g. 429:0.1).";
                return false;
            }

            var name = entry[..colon].Trim();
            var rateText = entry[(colon + 1)..].Trim();
            if (!FaultNames.TryParse(name, out var kind))
            {
                error = $"unknown fault kind '{name}'; use one of {FaultNames.Accepted}.";
                return false;
            }

            if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || double.IsNaN(rate) || rate < 0 || rate > 1)
            {
                error = $"rate '{rateText}' of '{name}' must be a number between 0 and 1 (use a dot as decimal separator).";
                return false;
            }

            if (rates.Exists(r => r.Item1 == kind))
            {
                error = $"fault kind '{name}' is given twice.";
                return false;
            }

            rates.Add((kind, rate));
            total += rate;
        }

        if (total > 1 + 1e-9)
        {
            error = $"the rates add up to {total.ToString(CultureInfo.InvariantCulture)}; they must add up to at most 1.";
            return false;
        }

        plan = new FaultPlan(rates);
        return true;
    }

    /// <summary>The fault for a uniform random draw in [0, 1).</summary>
    public FaultKind Pick(double draw)
    {
        var cumulative = 0.0;
        foreach (var (kind, rate) in Rates)
        {
            cumulative += rate;
            if (draw < cumulative)
            {
                return kind;
            }
        }

        return FaultKind.None;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Rates.Count == 0
            ? "none"
            : string.Join(",", Rates.Select(r => FaultNames.Name(r.Kind) + ":" + r.Rate.ToString(CultureInfo.InvariantCulture)));
}
