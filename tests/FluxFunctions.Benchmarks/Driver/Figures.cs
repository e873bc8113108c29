using System.Globalization;
using System.Text;

namespace FluxFunctions.Benchmarks.Driver;

/// <summary>One measured figure beside its target; <see cref="Pass"/> is null for figures reported without a target.</summary>
internal sealed record Figure(string Name, string Value, string Target, bool? Pass)
{
    public string Verdict => Pass switch { true => "PASS", false => "MISS", null => "INFO" };
}

/// <summary>The figures of a run and the detail lines that explain them; printed and written to a text file.</summary>
internal sealed class Figures
{
    private readonly List<Figure> figures = [];
    private readonly List<string> details = [];

    public IReadOnlyList<Figure> All => figures;

    /// <summary>When set, the figures so far are rewritten there after each one (a run cut short keeps what it measured).</summary>
    public string? PartialFile { get; init; }

    public void Add(string name, string value, string target, bool? pass)
    {
        var f = new Figure(name, value, target, pass);
        figures.Add(f);
        Console.WriteLine("    " + Line(f));
        SavePartial();
    }

    public void Detail(string line)
    {
        details.Add(line);
        Console.WriteLine("      " + line);
        SavePartial();
    }

    private void SavePartial()
    {
        if (PartialFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PartialFile)!);
            File.WriteAllText(PartialFile, Render("(partial: the run has not finished)"));
        }
    }

    public static string Line(Figure f) => $"{f.Name,-34} {f.Value,-22} {f.Target,-22} {f.Verdict}";

    public string Render(string header)
    {
        var sb = new StringBuilder();
        sb.AppendLine(header);
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"figure",-34} {"value",-22} {"target",-22} verdict");
        foreach (var f in figures)
        {
            sb.AppendLine(Line(f));
        }

        sb.AppendLine();
        sb.AppendLine("details:");
        foreach (var d in details)
        {
            sb.AppendLine("  " + d);
        }

        return sb.ToString();
    }
}

/// <summary>Small statistics over samples.</summary>
internal static class Stats
{
    /// <summary>The nearest-rank percentile (<paramref name="p"/> in 0–100) of <paramref name="values"/>.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    public static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);
}
